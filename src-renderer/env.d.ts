/** Globals the renderer relies on: `window.api` from the preload (or the browser bridge), and module shims. */
import type { DomainApi } from '@shared/api'

declare global {
  interface Window {
    api: DomainApi
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare module '*.css'
