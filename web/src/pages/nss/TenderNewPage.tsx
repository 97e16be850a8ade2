import { type FormEvent } from 'react';
import { api } from '../../api';
import { TextField } from '../../components/TextField';
import { ErrorMessage, Loading, PageHeader, SubmitButton } from '../../components/ui';
import { useAction, useApi, useFields, useTitle } from '../../hooks';
import { navigate } from '../../router';
import { useSession } from '../../session';
import type { Procedure as NssProcedure } from '../../api/types';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * A tender in an NSS assignment: the tenderer and the unit that would run the assignment. It is
 * submitted at once; the region assesses the requirements and scores it on the quality criteria.
 */
export function TenderNewPage({ params }: { params: { id: string } }) {
  useTitle('Lämna anbud');
  const { me } = useSession();
  const proc = useApi<NssProcedure>(`/api/procedures/${encodeURIComponent(params.id)}`);
  const action = useAction();
  const form = useFields({ name: '', orgNr: me.provider_id ?? '', unitId: '', unitName: '' }, action.error);
  const { name, orgNr, unitId, unitName } = form.values;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = await action.run('Anbudet är inskickat.', async () => {
      const created = await api<{ id: number }>(`/api/procedures/${params.id}/applications`, {
        method: 'POST',
        json: {
          provider_id: orgNr,
          applicant_name: name,
          units: unitId || unitName ? [{ unit_id: unitId, name: unitName }] : [],
        },
      });
      await api(`/api/applications/${created.id}/submit`, {
        method: 'POST',
        json: { submitted_at: today() },
      });
      return created.id;
    });
    if (id) navigate(`/ansokningar/${id}`);
  };

  const p = proc.data;
  return (
    <>
      <PageHeader
        title="Lämna anbud"
        crumbs={[
          { href: '/upphandling', label: 'Upphandling' },
          { href: `/upphandling/${params.id}`, label: p?.title ?? `Förfarande ${params.id}` },
        ]}
        lead="Anbudet prövas mot kraven och poängsätts på uppdragets kvalitetskriterier; pris ingår aldrig."
      />
      {proc.error && <ErrorMessage error={proc.error} />}
      {proc.loading && <Loading what="uppdraget" />}
      {p && (
        <form className="card form" onSubmit={submit} noValidate>
          {action.error && <ErrorMessage error={action.error} title="Anbudet kunde inte skickas in" />}
          <p>
            {p.title}: {p.field}, {p.location}.
          </p>
          <TextField label="Anbudsgivare (namn)" {...form.bind('name', '/applicant_name')} />
          <TextField
            label="Organisationsnummer"
            inputMode="numeric"
            readOnly={me.role === 'provider'}
            {...form.bind('orgNr', '/provider_id')}
          />
          <TextField label="Enhetens HSA-id (valfritt)" {...form.bind('unitId', '/units/0/unit_id')} />
          <TextField label="Enhetens namn (valfritt)" {...form.bind('unitName', '/units/0/name')} />
          <SubmitButton busy={action.busy}>{action.busy ? 'Skickar …' : 'Skicka in anbudet'}</SubmitButton>
        </form>
      )}
    </>
  );
}
