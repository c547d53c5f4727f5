/** Types of start-browser.mjs (the pure helpers of `npm start`'s browser-host fallback). */
export declare function hostUrlIn(text: string): string | null
export declare function browserOpener(platform: string, env: Record<string, string | undefined>): { cmd: string; args: string[] } | null
export declare function openInBrowserMessage(url: string): string
