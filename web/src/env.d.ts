/** Vite's asset imports: `import url from './file?url'` gives the file's URL in the built page. */
declare module '*?url' {
  const url: string;
  export default url;
}
