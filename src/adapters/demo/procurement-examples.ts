import { CONVICTION_EXCLUSION } from '../../core/procurement/requirements.js';
import type { ProcedureInput } from '../store/procurement.js';

/**
 * Example procedures for the demo region and the tests: a LOV choice system for primary care and an
 * NSS assignment in geriatrics. Requirement texts follow the grounds of LOV 7 kap. and LOU 13 kap.
 */
const REGION_NOTICE = {
  authority_name: 'Region Exempel',
  authority_org_nr: '2321000016',
  contact_email: 'vardval@region.example',
  documents_url: 'https://region.example/vardval',
};

export function exampleLov(rulebookId: string | null, openFrom: string): ProcedureInput {
  return {
    kind: 'lov',
    title: 'Vårdval primärvård – allmänmedicin',
    description:
      'Valfrihetssystem för vårdcentraler enligt lagen (2008:962) om valfrihetssystem; alla sökande som uppfyller kraven godkänns.',
    rulebookId,
    requirements: [
      {
        id: 'U1',
        kind: 'exclusion',
        text: 'Sökanden är inte i konkurs, likvidation eller under tvångsförvaltning',
        source: 'LOV 7 kap. 1 § 1',
      },
      {
        id: 'U2',
        kind: 'exclusion',
        text: 'Sökanden har betalat skatter och socialförsäkringsavgifter',
        source: 'LOV 7 kap. 1 § 6',
      },
      {
        id: 'K1',
        kind: 'qualification',
        text: 'Verksamhetschef med specialistkompetens i allmänmedicin',
        source: 'Förfrågningsunderlaget 4.2',
      },
      {
        id: 'K2',
        kind: 'qualification',
        text: 'Öppet minst 45 timmar per vecka',
        source: 'Förfrågningsunderlaget 5.1',
      },
    ],
    criteria: [],
    notice: { ...REGION_NOTICE, cpv: '85121100-4', open_from: openFrom, open_until: null },
  };
}

export function exampleNss(openFrom: string, openUntil: string): ProcedureInput {
  return {
    kind: 'nss',
    title: 'NSS geriatrik Östersund',
    description: 'Småskalig specialiserad öppenvård i geriatrik, upphandlad på kvalitet (inte pris).',
    rulebookId: null,
    field: 'geriatrik',
    volume: '1 heltidsverksamhet, cirka 1 500 besök per år',
    location: 'Östersunds kommun',
    places: 1,
    requirements: [
      CONVICTION_EXCLUSION,
      {
        id: 'K1',
        kind: 'qualification',
        text: 'Legitimerad läkare med specialistkompetens i geriatrik',
        source: 'Upphandlingsdokumentet 3.1',
      },
    ],
    criteria: [
      { id: 'tillganglighet', name: 'Tillgänglighet', weight: 40, maxScore: 5, basis: 'quality' },
      { id: 'kontinuitet', name: 'Kontinuitet', weight: 35, maxScore: 5, basis: 'quality' },
      { id: 'samverkan', name: 'Samverkan med kommunen', weight: 25, maxScore: 5, basis: 'quality' },
    ],
    notice: { ...REGION_NOTICE, cpv: '85121200-5', open_from: openFrom, open_until: openUntil },
  };
}
