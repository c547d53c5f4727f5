/** The slot the detail screens (Run, Console, AT) show; its own store so the run and console stores can follow it without depending on the slots store. */
import { defineStore } from 'pinia'
import { ref } from 'vue'

/** The chosen slot index (0 on a station of one). */
export const useSlotChoiceStore = defineStore('slot-choice', () => {
  const selected = ref(0)
  /** Shows slot `index` on the detail screens when it is one of the station's `count` slots. */
  function choose(index: number, count: number) {
    if (Number.isInteger(index) && index >= 0 && index < count) selected.value = index
  }
  return { selected, choose }
})
