// Catches a screen that fails to render, so one broken view shows what went wrong (and the navigation
// stays usable) instead of a blank page; React itself logs the error to the console. React offers this
// only as a class component.

import { Component, type ReactNode } from 'react';

type Props = { children: ReactNode; resetKey: string };
type State = { error: Error | null; resetKey: string };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  /** Moving to another screen clears the error. */
  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-box" role="alert">
        <span>
          <span className="error-code">UI_ERROR</span>
          This screen failed to show: {this.state.error.message}. Reload the page; if it happens again, the browser console has the details.
        </span>
      </div>
    );
  }
}
