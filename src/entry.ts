import { main } from "./main.ts";

// node dist/ps.mjs <subcommand|trigger|commands> <name> [args…]
void main(process.argv.slice(2));
