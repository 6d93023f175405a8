// Every problem with a user's data is a DataError whose message names the file, what is wrong and what
// was expected, so the wizard can show it as is.
export class DataError extends Error {
  file?: string;

  constructor(file: string | undefined, problem: string) {
    super(file ? `${file}: ${problem}` : problem);
    this.name = 'DataError';
    this.file = file;
  }
}
