// core/service/api.ts imports the type BackendName from core/backend/select.ts, a Node module, so this
// DOM-only program ends up typechecking select.ts and its imports too. These opaque stand-ins let it compile
// without Node's types. Delete this file once BackendName comes from a types-only module.
declare module 'node:child_process';
declare module 'node:fs';
declare module 'node:module';
declare module 'node:os';
declare module 'node:path';
declare namespace NodeJS {
  type Platform = string;
  interface ProcessEnv {
    [key: string]: string | undefined;
  }
}
declare const process: any;
