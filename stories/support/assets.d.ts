/** A file beside the stories that Vite emits as an asset (never inlined): its URL. */
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}
