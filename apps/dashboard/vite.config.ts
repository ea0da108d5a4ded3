import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API endpoint is read from VITE_RUNVIEW_API_URL / VITE_RUNVIEW_API_KEY at build or dev
// start, and may be overridden when the built app is served (public/config.js).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|@tanstack)[\\/]/ },
            { name: 'graphql', test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs|@wry|optimism|tslib|zod)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
