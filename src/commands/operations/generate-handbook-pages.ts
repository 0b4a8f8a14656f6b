import Handbook from '../handbook/index.js'

/** The original's name for `msp handbook`, kept so existing scripts and docs keep working. */
export default class GenerateHandbookPages extends Handbook {
  static override hidden = true
  static override summary = 'Alias of msp handbook (the original sg msp command name).'
  static override examples = ['<%= config.bin %> operations generate-handbook-pages --handbook-path ../handbook']
}
