import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { listedProfile, type ListedGroup } from '../../../core/listing/profile.js';
import { parseMonth } from '../../../core/calendar.js';
import { DEFAULT_RISK } from '../../../core/risk/month-risk.js';
import { cachedBatch } from '../../store/runs.js';
import { latestApprovedMonth, listedGroupsOn, unitRegistryFacts } from '../../store/unit-profile.js';
import { morbidityOfMonth } from '../morbidity.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, shownCount } from '../guard.js';
import { getRoute } from './common.js';
import { Contract, contractJson, Subcontractor, subJson } from '../json/contracts.js';
import { visibleUnit } from '../ownership.js';

/** A count of listed persons; null for an analyst when it is 1–4 (röjandekontroll). */
const count = z.number().int().nullable();

const Profile = z
  .object({
    month: z.string(),
    cutoff: z.string(),
    listed: count,
    age_sex: z.array(
      z.object({
        label: z.string(),
        from: z.number(),
        to: z.number().nullable(),
        F: count,
        M: count,
        unknown: count,
      }),
    ),
    cni: z.object({
      mean: z.number().nullable(),
      missing: count,
      bands: z.array(
        z.object({
          label: z.string(),
          from: z.number().nullable(),
          to: z.number().nullable(),
          count,
        }),
      ),
    }),
    rural: z.array(z.object({ rural_class: z.string().nullable(), count })),
    morbidity: z
      .object({
        map: z.string(),
        weights: z.string(),
        window_months: z.number().int(),
        listed: count,
        mean_score: z.number().nullable(),
        bands: z.array(z.object({ label: z.string(), count })),
      })
      .nullable()
      .openapi({
        description:
          'Samsjuklighet (Charlson, svensk ICD-10-anpassning, vikter 1987) ur besökens diagnoser under 24 månader före månaden: listade per poängband; null när besöken saknar diagnoser',
      }),
    branches: z.array(z.object({ unit_id: z.string(), name: z.string(), end_date: z.string().nullable() })),
    contracts: z.array(Contract),
    subcontractors: z.array(Subcontractor),
  })
  .openapi('UnitProfile');

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * A unit's page beyond its statements: who is listed there (age and sex, need, rurality) on a
 * month's cut-off day, its branches (filialer), contracts (avtal) and subcontractors
 * (underleverantörer). Counts only: no person-level row leaves the store.
 */
export function registerUiUnit(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  async function unitMorbidity(user: SessionUser, batch: number, unitId: string, month: string) {
    const data = await cachedBatch(db, batch);
    const risk = morbidityOfMonth(data, parseMonth(month)!);
    const u = data.units.id.indexOf(unitId);
    if (!risk || u < 0) return null;
    const nb = risk.bands.length;
    const listed = risk.listed[u]!;
    return {
      map: DEFAULT_RISK.map,
      weights: DEFAULT_RISK.weights,
      window_months: DEFAULT_RISK.windowMonths,
      listed: shownCount(user, listed),
      mean_score:
        listed > 0 && shownCount(user, listed) !== null
          ? Math.round((risk.scoreSum[u]! / listed) * 1000) / 1000
          : null,
      bands: risk.bands.map((b, i) => ({
        label: b.label,
        count: shownCount(user, risk.bandCounts[u * nb + i]!),
      })),
    };
  }

  app.openapi(
    getRoute(
      {
        path: '/api/ui/units/{unitId}/profile',
        right: ACCESS.readRegistry,
        summary:
          'En enhets listade (ålder och kön, CNI, landsbygdsklass), filialer, avtal och underleverantörer',
        request: {
          params: z.object({ unitId: z.string().max(40) }),
          query: z.object({
            month: z
              .string()
              .regex(MONTH, 'Månaden skrivs ÅÅÅÅ-MM')
              .optional()
              .describe('Brytdagen är månadens första dag; standard: senaste godkända månad'),
          }),
        },
      },
      'Enhetens profil',
      Profile,
    ),
    async (c) => {
      const user = c.get('user');
      const { unitId } = c.req.valid('param');
      const { unit, batch } = await visibleUnit(deps, user, unitId);
      const n = (v: number) => shownCount(user, v);

      let month = c.req.valid('query').month;
      if (!month) {
        const latest = await latestApprovedMonth(db);
        month = latest ?? new Date().toISOString().slice(0, 7);
      }
      const cutoff = Number(`${month.replace('-', '')}01`);
      const groups = await listedGroupsOn(db, batch, unitId, cutoff);
      const profile = listedProfile(
        groups.map((g): ListedGroup => ({
          age: Number(g.age),
          sex: Number(g.sex),
          cni: g.cni === null ? null : Number(g.cni),
          ruralClass: g.ruralClass,
          count: Number(g.count),
        })),
      );

      const { branches, contracts, subcontractors } = await unitRegistryFacts(
        db,
        batch,
        unit.providerId,
        unitId,
      );

      return c.json(
        {
          month,
          cutoff: `${month}-01`,
          listed: n(profile.listed),
          age_sex: profile.ageSex.map((b) => ({ ...b, F: n(b.F), M: n(b.M), unknown: n(b.unknown) })),
          cni: {
            ...profile.cni,
            missing: n(profile.cni.missing),
            bands: profile.cni.bands.map((b) => ({ ...b, count: n(b.count) })),
          },
          rural: profile.rural.map((r) => ({ rural_class: r.ruralClass, count: n(r.count) })),
          morbidity: await unitMorbidity(user, batch, unitId, month),
          branches: branches.map((b) => ({ unit_id: b.unitId, name: b.name, end_date: b.endDate })),
          contracts: contracts.map(contractJson),
          subcontractors: subcontractors.map(subJson),
        },
        200,
      );
    },
  );
}
