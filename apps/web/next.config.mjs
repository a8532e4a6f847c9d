// @ts-check
import { fileURLToPath } from 'node:url';

// The dashboard is built and served offline (no telemetry, no font or asset
// downloads: the layout uses the system font stack).
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

// Workspace root: npm workspaces hoist next/react there, and the libs this app
// imports live under libs/*; tracing and Turbopack must see the whole tree.
const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  outputFileTracingRoot: workspaceRoot,
  turbopack: { root: workspaceRoot },
  // No sharp/optimizer: the app ships no raster images.
  images: { unoptimized: true },
  productionBrowserSourceMaps: false,
};

export default nextConfig;
