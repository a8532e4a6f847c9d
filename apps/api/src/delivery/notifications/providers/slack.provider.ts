import { eventLines, eventTitle, EVENT_EMOJI } from '../event-text.js';
import { is2xx, JSON_HEADERS, type NotificationProvider } from './outgoing-request.js';

export interface SlackChannel {
  type: 'slack';
  name: string;
  /** Incoming webhook, https://hooks.slack.com/services/... */
  url: string;
}

/** Slack incoming webhook with Block Kit; `text` is the fallback for notifications. */
export const slackProvider: NotificationProvider<SlackChannel> = {
  build(event, channel) {
    const title = `${EVENT_EMOJI[event.kind]} ${eventTitle(event)}`;
    const body = {
      text: title,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: eventLines(event)
              .map((line) => `• ${escapeMrkdwn(line)}`)
              .join('\n'),
          },
        },
      ],
    };
    return { url: channel.url, headers: JSON_HEADERS, body: JSON.stringify(body), accepted: (status) => is2xx(status) };
  },
};

/** Slack mrkdwn treats &, < and > as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
