// @vitest-environment happy-dom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CopyButton } from '../../src/components/CopyButton';
import { JsonView, Labels } from '../../src/components/JsonView';
import { EmptyNotice, ErrorNotice, Loading } from '../../src/components/Notices';
import { Pager } from '../../src/components/Pager';
import { StateBadge } from '../../src/components/StateBadge';
import { StateCounts } from '../../src/components/StateCounts';
import { stateFromName } from '@runview/core';
import { renderDashboard } from '../support/render';

describe('state badge', () => {
  test('writes the state out, carries its colour and its message on hover', () => {
    render(<StateBadge state="Failed" message="Some reference tasks failed." size="large" />);
    const badge = screen.getByText('Failed');
    expect(badge.dataset['state']).toBe('Failed');
    expect(badge.title).toBe('Some reference tasks failed.');
    expect(badge.className).toContain('state-badge--large');
    expect(badge.style.getPropertyValue('--state-color')).toBe(stateFromName('Failed').color);
  });

  test('a run without a state reads Pending, without a title', () => {
    render(<StateBadge state={null} />);
    const badge = screen.getByText('Pending');
    expect(badge.dataset['state']).toBe('Pending');
    expect(badge.hasAttribute('title')).toBe(false);
  });
});

describe('state counts', () => {
  test('"48 Success · 2 Failed" with a bar segment per state', () => {
    const { container } = render(
      <StateCounts
        counts={[
          { state: 'Success', count: 48 },
          { state: 'Failed', count: 2 },
        ]}
        total={50}
      />,
    );
    expect(container.querySelector('.state-counts__text')?.textContent).toBe('48 Success · 2 Failed');
    const segments = container.querySelectorAll<HTMLElement>('.state-counts__segment');
    expect([...segments].map((segment) => segment.style.flexGrow)).toEqual(['48', '2']);
  });

  test('no task runs reads "none"', () => {
    render(<StateCounts counts={[]} total={0} />);
    expect(screen.getByText('none')).toBeTruthy();
  });
});

describe('pager', () => {
  test('writes the position and moves a page at a time', () => {
    const onChange = vi.fn();
    const { rerender } = render(<Pager offset={0} limit={25} total={60} onChange={onChange} label="flow runs" />);
    const nav = screen.getByRole('navigation', { name: 'Pages of flow runs' });
    expect(within(nav).getByText('1–25 of 60')).toBeTruthy();
    expect(within(nav).getByRole<HTMLButtonElement>('button', { name: '‹ Previous' }).disabled).toBe(true);
    fireEvent.click(within(nav).getByRole('button', { name: 'Next ›' }));
    expect(onChange).toHaveBeenLastCalledWith(25);

    rerender(<Pager offset={50} limit={25} total={60} onChange={onChange} label="flow runs" />);
    expect(within(nav).getByText('51–60 of 60')).toBeTruthy();
    expect(within(nav).getByRole<HTMLButtonElement>('button', { name: 'Next ›' }).disabled).toBe(true);
    fireEvent.click(within(nav).getByRole('button', { name: '‹ Previous' }));
    expect(onChange).toHaveBeenLastCalledWith(25);
  });

  test('an unknown total cannot go on; an empty list reads 0–0', () => {
    const { rerender } = render(<Pager offset={0} limit={25} total={undefined} onChange={vi.fn()} label="task runs" />);
    expect(screen.getByText('1–25 of …')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next ›' }).disabled).toBe(true);
    rerender(<Pager offset={0} limit={25} total={0} onChange={vi.fn()} label="task runs" />);
    expect(screen.getByText('0–0 of 0')).toBeTruthy();
  });
});

describe('notices', () => {
  test('a failed request says what could not load, why, what to do, and retries', () => {
    const onRetry = vi.fn();
    renderDashboard(<ErrorNotice error={new TypeError('Failed to fetch')} what="flow runs" onRetry={onRetry} />, { apiUrl: 'http://127.0.0.1:4200/graphql' });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Cannot reach the API');
    expect(alert.textContent).toContain('Could not load flow runs. http://127.0.0.1:4200/graphql: Failed to fetch');
    expect(alert.textContent).toContain('runview serve');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  test('without a retry there is no button; loading and empty notices say what', () => {
    renderDashboard(
      <>
        <ErrorNotice error={new TypeError('x')} what="the flow" />
        <Loading what="task runs" />
        <EmptyNotice title="No flow runs yet.">
          <p>Runs appear here.</p>
        </EmptyNotice>
      </>,
    );
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Loading task runs…');
    expect(screen.getByText('No flow runs yet.')).toBeTruthy();
    expect(screen.getByText('Runs appear here.')).toBeTruthy();
  });
});

describe('JSON and labels', () => {
  test('a document is pretty-printed; nothing or an empty object says so', () => {
    const { container, rerender } = render(<JsonView value={{ x: 1 }} />);
    expect(container.querySelector('pre')?.textContent).toBe('{\n  "x": 1\n}');
    rerender(<JsonView value={{}} empty="No parameters" />);
    expect(screen.getByText('No parameters')).toBeTruthy();
    rerender(<JsonView value={null} />);
    expect(screen.getByText('None')).toBeTruthy();
  });

  test('labels are a list; anything but strings shows as it came; none says so', () => {
    const { rerender } = render(<Labels labels={['demo', 3]} />);
    expect(
      within(screen.getByRole('list', { name: 'Labels' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['demo', '3']);
    rerender(<Labels labels={null} />);
    expect(screen.getByText('No labels')).toBeTruthy();
    rerender(<Labels labels={{ not: 'a list' }} />);
    expect(screen.getByText('No labels')).toBeTruthy();
  });
});

describe('copy button', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('copies the id, says so, and goes back after a moment', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const writeText = vi.fn(() => Promise.resolve());
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    render(<CopyButton text="4c0101af-c6bb-4b96-8661-63a5bbfb5596" label="Copy run id" />);
    const button = screen.getByRole('button', { name: 'Copy run id' });
    await act(async () => {
      fireEvent.click(button);
      await Promise.resolve();
    });
    expect(writeText).toHaveBeenCalledWith('4c0101af-c6bb-4b96-8661-63a5bbfb5596');
    expect(button.textContent).toBe('Copied');
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(button.textContent).toBe('Copy');
  });

  test('a clipboard that refuses leaves it as it was', async () => {
    const writeText = vi.fn(() => Promise.reject(new DOMException('Denied', 'NotAllowedError')));
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    render(<CopyButton text="x" label="Copy run id" />);
    const button = screen.getByRole('button', { name: 'Copy run id' });
    await act(async () => {
      fireEvent.click(button);
      await Promise.resolve();
    });
    expect(writeText).toHaveBeenCalledOnce();
    expect(button.textContent).toBe('Copy');
  });
});
