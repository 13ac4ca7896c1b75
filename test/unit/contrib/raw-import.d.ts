// Vite's `?raw` imports (a file's text), which vitest resolves in Node and in workerd alike.
declare module "*?raw" {
  const text: string;
  export default text;
}
