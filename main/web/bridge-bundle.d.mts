import type { BuildOptions, build } from 'esbuild';

export declare const BRIDGE_CLIENT_OPTIONS: BuildOptions;
export declare function bundleBridgeClient(esbuild: typeof build, entry: string): Promise<string>;
export declare function contractNames(esbuild: typeof build, contract: string): Promise<{ channels: string[]; events: string[] }>;
