import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  // Tests get Svelte's client runtime, so `$effect` runs as in the app (i18n.svelte.test.ts).
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
});
