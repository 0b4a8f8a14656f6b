/**
 * internal/resource/serviceaccount/serviceaccount.go of the original: a service account and one
 * project role grant per role, the resource shape every stack that makes an account shares.
 */
import type {TfText} from '../terraform/model.js'
import type {BlockHandle, StackBuilder} from './builder.js'

/**
 * A service account without destroy protection (`<id>-account`) and its project role grants
 * (`<id>-<role id>-member`, in the order given).
 * @param roles - [role id, role] pairs; the role id only names the grant
 */
export function serviceAccount(
  b: StackBuilder,
  project: TfText,
  id: string,
  accountId: TfText,
  displayName: string,
  roles: readonly (readonly [string, TfText])[],
): BlockHandle {
  const account = b.resource('google_service_account', `${id}-account`, {
    project,
    account_id: accountId,
    display_name: displayName,
    lifecycle: {prevent_destroy: false},
  })
  for (const [roleId, role] of roles) b.resource('google_project_iam_member', `${id}-${roleId}-member`, {project, role, member: account.ref('member')})
  return account
}
