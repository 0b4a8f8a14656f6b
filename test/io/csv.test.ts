import {describe, expect, it} from 'vitest'
import {formatCsv} from '../../src/lib/io/csv.js'

describe('formatCsv', () => {
  it('quotes fields with commas, quotes and line breaks per RFC 4180 and ends every record with CRLF', () => {
    expect(
      formatCsv(
        ['a', 'b'],
        [
          ['plain', 'x,y'],
          ['say "hi"', 'two\nlines'],
          ['', 'cr\r'],
        ],
      ),
    ).toBe('a,b\r\nplain,"x,y"\r\n"say ""hi""","two\nlines"\r\n,"cr\r"\r\n')
  })
})
