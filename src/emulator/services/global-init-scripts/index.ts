import { z } from 'zod';
import { requireAdmin } from '../../http/admin.js';
import { listBody } from '../../http/paging.js';
import { route, versions, type ApiRequest } from '../../http/router.js';
import { bool, nonEmpty, nonNegInt } from '../../http/validation.js';
import type { ServiceModule } from '../types.js';
import { isScriptContent, scriptContent } from './content.js';
import { ScriptStore, type GlobalInitScript } from './store.js';

/**
 * Global init scripts (`/api/2.0/global-init-scripts`): shell scripts an admin sets to run on every
 * node of every cluster, in `position` order, when `enabled` (default false). Only workspace admins
 * may use the API at all (docs: "Only workspace admins can create global init scripts"; that reads
 * and listings are admin-only too is unverified, and so is the refusal's wording). List answers
 * leave out the script body; get carries it, Base64 as given.
 *
 * Update requires `name` and `script` as create does: the API spec (and so every official SDK) marks
 * them required, though its description says unspecified fields keep their values. A request the
 * emulator accepts is then one the spec allows. `enabled` and `position` left out stay as they are.
 *
 * Clusters are not affected: the real service runs the scripts at node start and reports them only
 * in INIT_SCRIPTS_* cluster events whose shape for global scripts is undocumented, so the emulator
 * shows nothing rather than guess it.
 */
const DENIED = 'Only workspace admins can manage global init scripts.';

const createInput = z.object({ name: nonEmpty(), script: scriptContent(), enabled: bool().optional(), position: nonNegInt().optional() });

export const globalInitScriptsService: ServiceModule = {
  name: 'global-init-scripts',
  create(ctx) {
    const store = new ScriptStore();
    const details = (s: GlobalInitScript) => {
      const { script: _body, ...rest } = s;
      return { ...rest, position: store.positionOf(s) };
    };
    const admin = (req: ApiRequest) => requireAdmin(req, DENIED);
    const base = versions(['2.0'], '/global-init-scripts');
    const one = versions(['2.0'], '/global-init-scripts/{id}');
    return {
      routes: [
        route({
          method: 'POST',
          paths: base,
          input: createInput,
          handle(i, req) {
            admin(req);
            const now = ctx.clock.now();
            let id = ctx.ids.hex(16).toUpperCase();
            while (!ctx.ids.claim(`gis-${id}`)) id = ctx.ids.hex(16).toUpperCase();
            const who = req.principal.userName;
            const s: GlobalInitScript = { script_id: id, name: i.name, script: i.script, enabled: i.enabled ?? false, created_at: now, created_by: who, updated_at: now, updated_by: who };
            store.place(s, i.position);
            return { script_id: id };
          },
        }),
        route({ method: 'GET', paths: base, input: z.object({}), handle: (_i, req) => (admin(req), listBody('scripts', store.all().map(details))) }),
        route({
          method: 'GET',
          paths: one,
          input: z.object({}),
          handle(_i, req) {
            admin(req);
            const s = store.find(req.params.id!);
            return { ...details(s), script: s.script };
          },
        }),
        route({
          method: 'PATCH',
          paths: one,
          input: createInput,
          handle(i, req) {
            admin(req);
            const s = store.find(req.params.id!);
            Object.assign(s, { name: i.name, script: i.script, enabled: i.enabled ?? s.enabled, updated_at: ctx.clock.now(), updated_by: req.principal.userName });
            if (i.position !== undefined) store.place(s, i.position);
            return {};
          },
        }),
        route({
          method: 'DELETE',
          paths: one,
          input: z.object({}),
          handle(_i, req) {
            admin(req);
            store.remove(store.find(req.params.id!));
            return {};
          },
        }),
      ],
      snapshot: () => ({ scripts: [...store.all()] }),
      /** Takes back a snapshot in its order; records that would not pass a create are skipped (the file is untrusted). */
      restore(state) {
        const list = (state as { scripts?: unknown } | null)?.scripts;
        if (!Array.isArray(list)) return;
        for (const s of list as Partial<GlobalInitScript>[]) {
          if (typeof s?.script_id !== 'string' || typeof s.name !== 'string' || !isScriptContent(s.script)) continue;
          ctx.ids.claim(`gis-${s.script_id}`);
          store.place({ ...(s as GlobalInitScript), enabled: s.enabled === true }, undefined);
        }
      },
    };
  },
};
