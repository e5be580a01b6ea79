/**
 * Dokku's log line shapes (contract §8). Pure string builders: the adapter
 * decides where they go and whether quiet mode drops them.
 */
export const info1 = (text: string): string => `-----> ${text}\n`;
export const info2 = (text: string): string => `=====> ${text}\n`;
export const verbose = (text: string): string => `       ${text}\n`;
export const exclaim = (text: string): string => ` !     ${text}\n`;
