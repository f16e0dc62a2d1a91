/** A file beside the stories that Vite emits as an asset (never inlined): its URL. */
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}

/** A file's text (Vite's `?raw`), e.g. a theme's CSS. */
declare module '*?raw' {
  const text: string;
  export default text;
}
