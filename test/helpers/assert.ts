import {expect} from 'vitest'

/**
 * `expect(value).toBeInstanceOf(type)` that also narrows `value` for the compiler.
 * @param value - the value under test, typically a caught error
 * @param type - the class it must be an instance of
 */
export function expectInstanceOf<T>(value: unknown, type: abstract new (...args: never[]) => T): asserts value is T {
  expect(value).toBeInstanceOf(type)
}
