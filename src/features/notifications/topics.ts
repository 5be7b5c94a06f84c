/**
 * Topics a conversation can subscribe to with `notify here`. Features post with
 * `deps.proactive.sendToTopic(workspaceId, topic, …)` using exactly these names.
 */
export const NOTIFICATION_TOPICS = ['health', 'm365', 'saas', 'tags', 'approvals'] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

/** What each topic brings, for the replies. */
export const TOPIC_DESCRIPTIONS: Record<NotificationTopic, string> = {
  health: 'expired, revoked or expiring credentials, with a Reconnect button',
  m365: 'Microsoft 365 user and licence imports',
  saas: 'SaaS app discovery',
  tags: 'resource and tag syncs and tag write-backs',
  approvals: 'requests that a second admin must approve',
};

/**
 * Reads the topics typed after `notify here` (spaces or commas between them). No topics means all of them:
 * someone who asks for notifications in a channel, without narrowing, wants everything.
 */
export function parseTopics(text: string): { topics: NotificationTopic[] } | { unknown: string[] } {
  const words = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return { topics: [...NOTIFICATION_TOPICS] };
  const known = new Set<string>(NOTIFICATION_TOPICS);
  const unknown = words.filter((w) => !known.has(w));
  if (unknown.length) return { unknown };
  // Kept in the canonical order, once each, so stored topics compare simply.
  return { topics: NOTIFICATION_TOPICS.filter((t) => words.includes(t)) };
}
