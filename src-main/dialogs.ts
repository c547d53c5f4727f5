/** Native pickers for the paths the renderer may not invent: images, the results folder, profiles. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron'

const OPTIONS: Record<'image' | 'folder' | 'profile' | 'bundle', OpenDialogOptions> = {
  image: { properties: ['openFile'], filters: [{ name: 'K230 images', extensions: ['kdimg', 'img', 'gz', 'zip', 'tgz'] }] },
  folder: { properties: ['openDirectory', 'createDirectory'] },
  profile: { properties: ['openFile'], filters: [{ name: 'Profiles', extensions: ['yaml', 'yml', 'json'] }] },
  bundle: { properties: ['openFile'], filters: [{ name: 'Support bundles', extensions: ['zip'] }] },
}

/** Shows the picker for `kind` over `window`; resolves the chosen path or null when cancelled. */
export async function pickPath(window: BrowserWindow | undefined, kind: keyof typeof OPTIONS): Promise<string | null> {
  const result = window ? await dialog.showOpenDialog(window, OPTIONS[kind]) : await dialog.showOpenDialog(OPTIONS[kind])
  return result.canceled ? null : (result.filePaths[0] ?? null)
}
