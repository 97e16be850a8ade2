/**
 * How a tenderer seeks review (överprövning) of an NSS award decision. NSS borrows the review rules
 * of LOU: a tenderer may apply to the administrative court while the standstill runs, and once the
 * contract is signed the procurement can no longer be reviewed, only the contract's validity.
 * Every award decision carries this, as the LOV decisions carry theirs.
 */
export const NSS_REVIEW_INSTRUCTIONS = {
  text:
    'En anbudsgivare som anser att regionen har brutit mot upphandlingsreglerna och att det har medfört ' +
    'eller kan medföra skada kan ansöka om överprövning hos förvaltningsrätten. Ansökan ska ha kommit in ' +
    'innan avtalsspärren har löpt ut; under spärren får avtal inte tecknas, och när avtalet är tecknat ' +
    'kan upphandlingen inte längre överprövas.',
  court: 'förvaltningsrätten',
  deadline: 'innan avtalsspärren har löpt ut',
  source: 'lagen (2016:1145) om offentlig upphandling 20 kap. 1–6 §§, som NSS-uppdraget följer',
} as const;
