// A template as WhatsApp shows it: a chat bubble with header, body, footer, time, and the buttons
// under it. Text only (WhatsApp's *bold* and _italic_ marks are shown as typed); media headers get a
// placeholder, since the preview has no media to show.

import type { Bubble } from '../api-types.ts';

export function MessageBubble({ bubble, time }: { bubble: Bubble; time?: string }) {
  return (
    <div className="wa-bubble-wrap">
      <div className="wa-bubble">
        {bubble.header ? (
          bubble.header.type.toUpperCase() === 'TEXT' ? (
            <div className="wa-header">{bubble.header.text}</div>
          ) : (
            <div className="wa-media">{bubble.header.type.toLowerCase()}</div>
          )
        ) : null}
        <div className="wa-body">{bubble.body}</div>
        {bubble.footer ? <div className="wa-footer">{bubble.footer}</div> : null}
        <div className="wa-time">{time ?? '09:41'}</div>
      </div>
      {bubble.buttons.length > 0 ? (
        <div className="wa-buttons">
          {bubble.buttons.map((button, index) => (
            <div key={index} className="wa-button">
              {button.text}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
