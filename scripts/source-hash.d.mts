/** The hash of the sources `npm run build` compiles (see source-hash.mjs). */
export declare function sourceHash(root: string): string
