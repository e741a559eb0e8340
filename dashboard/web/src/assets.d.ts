// Vite resolves `?url` imports to the URL of the emitted file (used for MapLibre's worker).
declare module '*?url' {
  const url: string;
  export default url;
}
