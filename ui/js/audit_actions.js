// What the audit log names (src/web/audit.cc, src/app/base.cc); anything else reads "change".
export const AUDIT_ACTIONS = ['setup', 'login', 'login_failed', 'logout', 'user_created', 'password_changed',
  'token_created', 'token_revoked', 'share_link_created', 'share_link_revoked', 'sensor_paired', 'sensor_changed',
  'sensor_removed', 'sensor_rekeyed', 'settings_changed', 'target_changed', 'consent_changed', 'consent_revoked',
  'privacy_settings_changed', 'change'];
