import { main } from '../cli/main.ts';

/** `npm start [-- options]`: the local fleet twin. */
process.exitCode = await main(['twin', ...process.argv.slice(2)]);
