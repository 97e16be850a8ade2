import { useEffect, useState, type FormEvent } from 'react';
import { api, errorAt, type ApiError } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, PageHeader, SelectField, SmallButton, SubmitButton } from '../../components/ui';
import { useAction, useApi, useFields, useTitle } from '../../hooks';
import { navigate } from '../../router';
import { CONVICTION_EXCLUSION } from '../../../../src/core/procurement/requirements';
import type { Procedure as NssProcedure, Requirement } from '../../api/types';

interface CriterionRow {
  name: string;
  weight: string;
  max_score: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** A criterion's id from its name: lower case letters and digits, so it reads well in the API. */
const slug = (name: string, i: number) =>
  name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || `kriterium-${i + 1}`;

const START_REQUIREMENTS: Requirement[] = [
  CONVICTION_EXCLUSION,
  {
    id: 'K1',
    kind: 'qualification',
    text: 'Legitimerad läkare med specialistkompetens inom verksamhetsområdet',
    source: 'Upphandlingsdokumentet',
  },
];

/** The message for exactly this pointer (not for a field inside it). */
const exactly = (error: ApiError | undefined, pointer: string) =>
  error?.pointer === pointer ? error.detail : undefined;

/**
 * An NSS assignment: area, orientation and scope, the requirements, and quality criteria with
 * weights that sum to 100. Price is never a criterion; the API refuses one and the page shows the
 * refusal at the criterion.
 */
export function NssNewPage() {
  useTitle('Nytt NSS-uppdrag');
  const previous = useApi<{ items: NssProcedure[] }>('/api/procedures');
  const action = useAction();
  const form = useFields(
    { title: '', description: '', field: '', volume: '', location: '', places: '1' },
    action.error,
  );
  const [requirements, setRequirements] = useState<Requirement[]>(START_REQUIREMENTS);
  const [criteria, setCriteria] = useState<CriterionRow[]>([{ name: '', weight: '', max_score: '5' }]);
  const announcement = useFields(
    {
      authority_name: '',
      authority_org_nr: '',
      contact_email: '',
      documents_url: '',
      cpv: '85121200-5',
      open_from: today(),
      open_until: '',
    },
    action.error,
    '/notice',
  );
  const { setValues: setNotice, values: notice } = announcement;

  // The authority's own details are those of its latest notice.
  const latest = previous.data?.items.at(-1)?.notice;
  useEffect(() => {
    if (latest)
      setNotice((n) =>
        n.authority_name
          ? n
          : {
              ...n,
              authority_name: latest.authority_name,
              authority_org_nr: latest.authority_org_nr,
              contact_email: latest.contact_email,
              documents_url: latest.documents_url,
            },
      );
  }, [latest, setNotice]);

  const setCriterion = (i: number, patch: Partial<CriterionRow>) =>
    setCriteria((rows) => rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const setRequirement = (i: number, patch: Partial<Requirement>) =>
    setRequirements((rows) => rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const err = (p: string) => errorAt(action.error, p);
  /** A requirement's field, its message at /requirements/i/key. */
  const requirement = (i: number, key: 'id' | 'text' | 'source') => ({
    value: requirements[i]?.[key] ?? '',
    onChange: (v: string) => setRequirement(i, { [key]: v }),
    error: err(`/requirements/${i}/${key}`),
  });
  /** A criterion's number, its message at /criteria/i/key. */
  const criterion = (i: number, key: 'weight' | 'max_score') => ({
    inputMode: 'numeric' as const,
    value: criteria[i]?.[key] ?? '',
    onChange: (v: string) => setCriterion(i, { [key]: v }),
    error: err(`/criteria/${i}/${key}`),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await action.run('Uppdraget är skapat.', () =>
      api<{ id: number }>('/api/procedures', {
        method: 'POST',
        json: {
          kind: 'nss',
          ...form.values,
          places: Number(form.values.places),
          requirements,
          criteria: criteria.map((c, i) => ({
            id: slug(c.name, i),
            name: c.name,
            weight: Number(c.weight),
            max_score: Number(c.max_score),
          })),
          notice: { ...notice, open_until: notice.open_until || null },
        },
      }),
    );
    if (created) navigate(`/upphandling/${created.id}`);
  };

  return (
    <>
      <PageHeader
        title="Nytt NSS-uppdrag"
        crumbs={[{ href: '/upphandling', label: 'Upphandling' }]}
        lead="Definiera uppdraget: verksamhetsområde, omfattning och plats, krav och kvalitetskriterier med vikter. Kontrakt tilldelas enbart på kvalitet, aldrig på pris."
      />
      <form className="card form application-form" onSubmit={submit} noValidate>
        {action.error && <ErrorMessage error={action.error} title="Uppdraget kunde inte skapas" />}
        <TextField label="Titel" {...form.bind('title')} />
        <TextField label="Beskrivning" rows={3} {...form.bind('description')} />
        <TextField label="Verksamhetsområde (inriktning)" {...form.bind('field')} />
        <TextField
          label="Omfattning"
          hint="Till exempel antal heltidsverksamheter och besök per år"
          {...form.bind('volume')}
        />
        <TextField label="Plats (kommun eller område)" {...form.bind('location')} />
        <TextField label="Antal kontrakt" inputMode="numeric" {...form.bind('places')} />
        <fieldset className="rows">
          <legend>Krav (uteslutningsgrunder och kvalificeringskrav)</legend>
          {requirements.map((r, i) => (
            <div className="row" key={i}>
              <TextField label={`Id (krav ${i + 1})`} {...requirement(i, 'id')} />
              <SelectField
                label={`Slag (krav ${i + 1})`}
                value={r.kind}
                onChange={(v) => setRequirement(i, { kind: v as Requirement['kind'] })}
                options={[
                  ['exclusion', 'Uteslutningsgrund'],
                  ['qualification', 'Kvalificeringskrav'],
                ]}
              />
              <TextField label={`Krav (krav ${i + 1})`} {...requirement(i, 'text')} />
              <TextField label={`Källa (krav ${i + 1})`} {...requirement(i, 'source')} />
              <SmallButton onClick={() => setRequirements(requirements.filter((_, k) => k !== i))}>
                Ta bort krav {i + 1}
              </SmallButton>
            </div>
          ))}
          <SmallButton
            onClick={() =>
              setRequirements([
                ...requirements,
                { id: `K${requirements.length + 1}`, kind: 'qualification', text: '', source: '' },
              ])
            }
          >
            Lägg till krav
          </SmallButton>
        </fieldset>
        <fieldset className="rows">
          <legend>Kvalitetskriterier och vikter (summa 100)</legend>
          {exactly(action.error, '/criteria') && (
            <p className="field-error">{exactly(action.error, '/criteria')}</p>
          )}
          {criteria.map((c, i) => (
            <div className="row" key={i}>
              <TextField
                label={`Kriterium ${i + 1}`}
                value={c.name}
                onChange={(v) => setCriterion(i, { name: v })}
                error={
                  exactly(action.error, `/criteria/${i}`) ??
                  err(`/criteria/${i}/id`) ??
                  err(`/criteria/${i}/name`)
                }
              />
              <TextField label={`Vikt i procent (kriterium ${i + 1})`} {...criterion(i, 'weight')} />
              <TextField label={`Högsta poäng (kriterium ${i + 1})`} {...criterion(i, 'max_score')} />
              <SmallButton onClick={() => setCriteria(criteria.filter((_, k) => k !== i))}>
                Ta bort kriterium {i + 1}
              </SmallButton>
            </div>
          ))}
          <SmallButton onClick={() => setCriteria([...criteria, { name: '', weight: '', max_score: '5' }])}>
            Lägg till kriterium
          </SmallButton>
        </fieldset>
        <fieldset className="rows">
          <legend>Annons</legend>
          <TextField label="Upphandlande myndighet" {...announcement.bind('authority_name')} />
          <TextField
            label="Myndighetens organisationsnummer"
            inputMode="numeric"
            {...announcement.bind('authority_org_nr')}
          />
          <TextField label="Kontakt (e-post)" type="email" {...announcement.bind('contact_email')} />
          <TextField
            label="Upphandlingsdokument (adress)"
            type="url"
            {...announcement.bind('documents_url')}
          />
          <TextField label="CPV-kod" {...announcement.bind('cpv')} />
          <TextField label="Annonsen gäller från" type="date" {...announcement.bind('open_from')} />
          <TextField label="Sista dag för anbud" type="date" {...announcement.bind('open_until')} />
        </fieldset>
        <SubmitButton busy={action.busy}>{action.busy ? 'Sparar …' : 'Skapa uppdraget'}</SubmitButton>
      </form>
    </>
  );
}
