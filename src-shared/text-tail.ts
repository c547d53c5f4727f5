/** Keeps the last `maxChars` characters of a text stream in flat pieces, so many small appends neither grow without bound nor build long string chains. */
export class TextTail {
  private pieces: string[] = []
  private first = 0
  private recent: string[] = []
  private recentChars = 0
  private chars = 0

  /** Trusts `maxChars` to be a positive integer. */
  constructor(readonly maxChars: number) {}

  /** Appends `text`, dropping the oldest pieces once more than `maxChars` are held. */
  append(text: string): void {
    if (!text) return
    this.recent.push(text)
    this.recentChars += text.length
    this.chars += text.length
    if (this.recent.length >= 256 || this.recentChars >= 16_384) this.seal()
    while (this.first < this.pieces.length && this.chars - this.pieces[this.first].length >= this.maxChars) {
      this.chars -= this.pieces[this.first].length
      this.first++
    }
    if (this.first > 64 && this.first * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.first)
      this.first = 0
    }
  }

  /** The last `maxChars` characters appended. */
  text(): string {
    this.seal()
    const all = this.pieces.slice(this.first).join('')
    return all.length > this.maxChars ? all.slice(all.length - this.maxChars) : all
  }

  private seal(): void {
    if (!this.recent.length) return
    this.pieces.push(this.recent.join(''))
    this.recent = []
    this.recentChars = 0
  }
}
