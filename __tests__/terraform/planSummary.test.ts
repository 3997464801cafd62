import { addCounts, summarizePlan } from '../../src/terraform/planSummary';

const change = (actions: string[], mode = 'managed') => ({ address: 'x', mode, change: { actions } });

describe('summarizePlan (terraform show -json resource_changes)', () => {
  it('counts create as add, update as change, delete as destroy', () => {
    const shown = { resource_changes: [change(['create']), change(['create']), change(['update']), change(['delete'])] };
    expect(summarizePlan(shown)).toEqual({ add: 2, change: 1, destroy: 1 });
  });

  it('counts a replacement, either way round, as both an add and a destroy (as terraform does)', () => {
    expect(summarizePlan({ resource_changes: [change(['delete', 'create'])] })).toEqual({ add: 1, change: 0, destroy: 1 });
    expect(summarizePlan({ resource_changes: [change(['create', 'delete'])] })).toEqual({ add: 1, change: 0, destroy: 1 });
  });

  it('counts nothing for no-op, read, forget and data sources', () => {
    const shown = { resource_changes: [change(['no-op']), change(['read']), change(['forget']), change(['read'], 'data'), change(['delete'], 'data')] };
    expect(summarizePlan(shown)).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('counts an action it does not know as a change rather than hide it', () => {
    expect(summarizePlan({ resource_changes: [change(['transmogrify'])] })).toEqual({ add: 0, change: 1, destroy: 0 });
  });

  it('reads a plan with nothing to do', () => {
    expect(summarizePlan({})).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(summarizePlan({ resource_changes: [] })).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('adds counts field by field', () => {
    expect(addCounts({ add: 1, change: 2, destroy: 3 }, { add: 10, change: 20, destroy: 30 })).toEqual({ add: 11, change: 22, destroy: 33 });
  });
});
