/**
 * The MSP stacks in provisioning order, one TFC workspace each. Kept here (not imported from
 * src/lib/stacks) so `msp tfc sync` does not load the Terraform model; the two lists must agree.
 */
export const TFC_STACK_IDS = ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces'] as const

export type TfcStackId = (typeof TFC_STACK_IDS)[number]
