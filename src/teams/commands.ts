/** One command as the help card and the app manifest's commandLists show it. */
export interface CommandInfo {
  usage: string;
  description: string;
  /** Who may run it; the help card groups by this. */
  audience: 'everyone' | 'admins' | 'owners';
}

/**
 * The commands features have registered. Help reads it, so help never lists a command that does not exist.
 * Order is registration order.
 */
export class CommandCatalog {
  private readonly commands: CommandInfo[] = [];

  add(...commands: CommandInfo[]): void {
    this.commands.push(...commands);
  }

  list(): readonly CommandInfo[] {
    return this.commands;
  }
}
