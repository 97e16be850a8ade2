import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorAt, type ApiError } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, PageHeader } from '../../components/ui';
import { useAction, useApi, useTitle } from '../../hooks';
import { navigate } from '../../router';
import type { NssProcedure, Requirement } from './types';

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
  {
    id: 'U1',
    kind: 'exclusion',
    text: 'Ingen dom för brott som avses i LOU 13 kap. 1 §',
    source: 'LOU 13 kap. 1 §',
  },
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
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [field, setField] = useState('');
  const [volume, setVolume] = useState('');
  const [location, setLocation] = useState('');
  const [places, setPlaces] = useState('1');
  const [requirements, setRequirements] = useState<Requirement[]>(START_REQUIREMENTS);
  const [criteria, setCriteria] = useState<CriterionRow[]>([{ name: '', weight: '', max_score: '5' }]);
  const [notice, setNotice] = useState({
    authority_name: '',
    authority_org_nr: '',
    contact_email: '',
    documents_url: '',
    cpv: '85121200-5',
    open_from: today(),
    open_until: '',
  });
  const action = useAction();
  const ids = useId();

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
  }, [latest]);

  const setCriterion = (i: number, patch: Partial<CriterionRow>) =>
    setCriteria((rows) => rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const setRequirement = (i: number, patch: Partial<Requirement>) =>
    setRequirements((rows) => rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const n = (key: keyof typeof notice) => ({
    value: notice[key],
    onChange: (v: string) => setNotice((x) => ({ ...x, [key]: v })),
    error: errorAt(action.error, `/notice/${key}`),
  });
  const err = (p: string) => errorAt(action.error, p);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await action.run('Uppdraget är skapat.', () =>
      api<{ id: number }>('/api/procedures', {
        method: 'POST',
        json: {
          kind: 'nss',
          title,
          description,
          field,
          volume,
          location,
          places: Number(places),
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
        <TextField label="Titel" value={title} onChange={setTitle} error={err('/title')} />
        <TextField
          label="Beskrivning"
          value={description}
          onChange={setDescription}
          rows={3}
          error={err('/description')}
        />
        <TextField
          label="Verksamhetsområde (inriktning)"
          value={field}
          onChange={setField}
          error={err('/field')}
        />
        <TextField
          label="Omfattning"
          hint="Till exempel antal heltidsverksamheter och besök per år"
          value={volume}
          onChange={setVolume}
          error={err('/volume')}
        />
        <TextField
          label="Plats (kommun eller område)"
          value={location}
          onChange={setLocation}
          error={err('/location')}
        />
        <TextField
          label="Antal kontrakt"
          inputMode="numeric"
          value={places}
          onChange={setPlaces}
          error={err('/places')}
        />
        <fieldset className="rows">
          <legend>Krav (uteslutningsgrunder och kvalificeringskrav)</legend>
          {requirements.map((r, i) => (
            <div className="row" key={i}>
              <TextField
                label={`Id (krav ${i + 1})`}
                value={r.id}
                onChange={(v) => setRequirement(i, { id: v })}
                error={err(`/requirements/${i}/id`)}
              />
              <div className="field">
                <label htmlFor={`${ids}-req-${i}`}>Slag (krav {i + 1})</label>
                <select
                  id={`${ids}-req-${i}`}
                  value={r.kind}
                  onChange={(e) => setRequirement(i, { kind: e.target.value as Requirement['kind'] })}
                >
                  <option value="exclusion">Uteslutningsgrund</option>
                  <option value="qualification">Kvalificeringskrav</option>
                </select>
              </div>
              <TextField
                label={`Krav (krav ${i + 1})`}
                value={r.text}
                onChange={(v) => setRequirement(i, { text: v })}
                error={err(`/requirements/${i}/text`)}
              />
              <TextField
                label={`Källa (krav ${i + 1})`}
                value={r.source}
                onChange={(v) => setRequirement(i, { source: v })}
                error={err(`/requirements/${i}/source`)}
              />
              <button
                type="button"
                className="button secondary small"
                onClick={() => setRequirements(requirements.filter((_, k) => k !== i))}
              >
                Ta bort krav {i + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button secondary small"
            onClick={() =>
              setRequirements([
                ...requirements,
                { id: `K${requirements.length + 1}`, kind: 'qualification', text: '', source: '' },
              ])
            }
          >
            Lägg till krav
          </button>
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
              <TextField
                label={`Vikt i procent (kriterium ${i + 1})`}
                inputMode="numeric"
                value={c.weight}
                onChange={(v) => setCriterion(i, { weight: v })}
                error={err(`/criteria/${i}/weight`)}
              />
              <TextField
                label={`Högsta poäng (kriterium ${i + 1})`}
                inputMode="numeric"
                value={c.max_score}
                onChange={(v) => setCriterion(i, { max_score: v })}
                error={err(`/criteria/${i}/max_score`)}
              />
              <button
                type="button"
                className="button secondary small"
                onClick={() => setCriteria(criteria.filter((_, k) => k !== i))}
              >
                Ta bort kriterium {i + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button secondary small"
            onClick={() => setCriteria([...criteria, { name: '', weight: '', max_score: '5' }])}
          >
            Lägg till kriterium
          </button>
        </fieldset>
        <fieldset className="rows">
          <legend>Annons</legend>
          <TextField label="Upphandlande myndighet" {...n('authority_name')} />
          <TextField
            label="Myndighetens organisationsnummer"
            inputMode="numeric"
            {...n('authority_org_nr')}
          />
          <TextField label="Kontakt (e-post)" type="email" {...n('contact_email')} />
          <TextField label="Upphandlingsdokument (adress)" type="url" {...n('documents_url')} />
          <TextField label="CPV-kod" {...n('cpv')} />
          <TextField label="Annonsen gäller från" type="date" {...n('open_from')} />
          <TextField label="Sista dag för anbud" type="date" {...n('open_until')} />
        </fieldset>
        <div>
          <button type="submit" className="button" disabled={action.busy}>
            {action.busy ? 'Sparar …' : 'Skapa uppdraget'}
          </button>
        </div>
      </form>
    </>
  );
}
