import { describe, expect, it } from 'vitest';
import { CleanupStack } from '../../../src/dev/cleanup-stack.js';

describe('CleanupStack', () => {
  it('undoes in reverse order, exactly once, and keeps going past a failing step', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('server', () => void order.push('server'));
    stack.push('worker', () => {
      order.push('worker');
      throw new Error('boom');
    });
    stack.push('client', async () => void order.push('client'));
    const [first, second] = await Promise.all([stack.runAll(), stack.runAll()]);
    expect(order).toEqual(['client', 'worker', 'server']);
    expect(first).toEqual(['worker: boom']);
    expect(second).toBe(first);
  });
});
