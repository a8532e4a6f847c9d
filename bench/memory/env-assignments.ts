/** NAME=value pairs; NAME= (empty) leaves NAME out, as a baseline without one of `npm start`'s settings (an empty value is not the same as none to glibc). */
export const assignments = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [name, ...value] = pair.split('=');
        // child_process leaves out a variable whose value is undefined.
        return [name as string, value.length > 0 && value.join('=') !== '' ? value.join('=') : (undefined as unknown as string)];
      }),
  );
