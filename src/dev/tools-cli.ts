import { ensureTools } from './tools';

// `npm run tools`: builds (or confirms) the pinned Go tools and prints their paths.
ensureTools((line) => console.log(line))
  .then((tools) => console.log(JSON.stringify(tools, null, 2)))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
