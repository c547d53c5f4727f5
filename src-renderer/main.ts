/** Renderer entry: installs the host API, then mounts Vue with Pinia and vue-i18n. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import { ensureApi } from './platform'
import './styles.css'

ensureApi().then(
  () => createApp(App).use(createPinia()).use(i18n).mount('#app'),
  (error: unknown) => {
    const p = document.createElement('p')
    p.dataset.testid = 'fatal'
    p.textContent = error instanceof Error ? error.message : String(error)
    document.body.appendChild(p)
  },
)
