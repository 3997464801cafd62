import { addCounts, summarizePlan } from '../../src/terraform/planSummary';

const change = (actions: string[], mode = 'managed') => ({ address: 'x', mode, change: { actions } });
/** A change an `import` block makes: terraform sets `importing` (here as it prints it, with the id). */
const imported = (actions: string[]) => ({ address: 'x', mode: 'managed', change: { actions, importing: { id: 'alice' } } });

describe('summarizePlan (terraform show -json resource_changes)', () => {
  it('counts create as add, update as change, delete as destroy', () => {
    const shown = { resource_changes: [change(['create']), change(['create']), change(['update']), change(['delete'])] };
    expect(summarizePlan(shown)).toEqual({ import: 0, add: 2, change: 1, destroy: 1 });
  });

  it('counts a replacement, either way round, as both an add and a destroy (as terraform does)', () => {
    expect(summarizePlan({ resource_changes: [change(['delete', 'create'])] })).toEqual({ import: 0, add: 1, change: 0, destroy: 1 });
    expect(summarizePlan({ resource_changes: [change(['create', 'delete'])] })).toEqual({ import: 0, add: 1, change: 0, destroy: 1 });
  });

  it('counts nothing for no-op, read, forget and data sources', () => {
    const shown = { resource_changes: [change(['no-op']), change(['read']), change(['forget']), change(['read'], 'data'), change(['delete'], 'data')] };
    expect(summarizePlan(shown)).toEqual({ import: 0, add: 0, change: 0, destroy: 0 });
  });

  it('counts an action it does not know as a change rather than hide it', () => {
    expect(summarizePlan({ resource_changes: [change(['transmogrify'])] })).toEqual({ import: 0, add: 0, change: 1, destroy: 0 });
  });

  it('reads a plan with nothing to do', () => {
    expect(summarizePlan({})).toEqual({ import: 0, add: 0, change: 0, destroy: 0 });
    expect(summarizePlan({ resource_changes: [] })).toEqual({ import: 0, add: 0, change: 0, destroy: 0 });
  });

  it('counts an import besides its action: a no-op import is an import only, an updating one also a change', () => {
    const shown = { resource_changes: [imported(['no-op']), imported(['update']), change(['create']), { address: 'y', mode: 'managed', change: { actions: ['no-op'], importing: {} } }] };
    expect(summarizePlan(shown)).toEqual({ import: 3, add: 1, change: 1, destroy: 0 });
  });

  it('does not count a change without importing (absent or null) as an import', () => {
    const shown = { resource_changes: [change(['no-op']), { address: 'y', mode: 'managed', change: { actions: ['update'], importing: null } }] };
    expect(summarizePlan(shown)).toEqual({ import: 0, add: 0, change: 1, destroy: 0 });
  });

  it('adds counts field by field', () => {
    expect(addCounts({ import: 4, add: 1, change: 2, destroy: 3 }, { import: 40, add: 10, change: 20, destroy: 30 })).toEqual({ import: 44, add: 11, change: 22, destroy: 33 });
  });
});
