import { main } from "./main.ts";

// node dist/ps.cjs <subcommand|trigger|commands> <name> [args…]
void main(process.argv.slice(2));
