import { main } from "./main.ts";

// node dist/ps.cjs <subcommand|trigger|commands> <name> [args…]
// node dist/ps.cjs version-check [<VERSION text>]   (install.sh: is this Dokku supported?)
void main(process.argv.slice(2));
