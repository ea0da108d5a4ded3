import type { CSSProperties } from 'react';
import { stateFromName } from '@runview/core';

interface StateBadgeProps {
  readonly state: string | null | undefined;
  /** The state's message, shown on hover and to assistive technology. */
  readonly message?: string | null | undefined;
  readonly size?: 'normal' | 'large';
}

/** A state by name and Prefect colour: the name is always written out, colour only adds to it. */
export function StateBadge({ state, message, size = 'normal' }: StateBadgeProps) {
  const look = stateFromName(state);
  const style = { '--state-color': look.color } as CSSProperties;
  return (
    <span className={`state-badge state-badge--${size}`} style={style} title={message ?? undefined} data-state={look.type}>
      <span className="state-badge__dot" aria-hidden="true" />
      {look.type}
    </span>
  );
}
