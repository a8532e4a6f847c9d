import { formatMessage } from '../i18n/format-message';

export function ApiError({ template, error }: { template: string; error: string }) {
  return (
    <p className="notice notice-error" role="alert">
      {formatMessage(template, { error })}
    </p>
  );
}
