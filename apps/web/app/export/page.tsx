import { publicOrigin } from '../../src/api/public-origin';
import { fetchApiText } from '../../src/api/server-fetch';
import { ExportPanel } from '../../src/export/export-panel';
import { choicePath, needsProxy, parseExportQuery } from '../../src/export/export-query';
import { requestLocale } from '../../src/i18n/server-locale';
import { readPullCost } from '../../src/export/pull-cost';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ExportPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ t }, query, origin] = await Promise.all([requestLocale(), searchParams, publicOrigin()]);
  const choice = parseExportQuery(query);
  const preview = needsProxy(choice) ? null : await fetchApiText(choicePath(choice));
  return (
    <>
      <h1>{t.exportPage.heading}</h1>
      <p className="muted">{t.exportPage.intro}</p>
      <ExportPanel
        // A new choice from a no-JavaScript form submission remounts the panel with the server's preview.
        key={`${choice.format}:${choice.count}:${choice.proxy}:${choice.noProxy}`}
        origin={origin}
        initialChoice={choice}
        initialPreview={
          preview === null
            ? { needsProxy: true }
            : preview.ok
              ? { ok: true, text: preview.data.text, cost: readPullCost(preview.data.headers) }
              : { ok: false, error: preview.error }
        }
      />
    </>
  );
}
