// Every problem with a user's data is a DataError whose message names the file, what is wrong and what
// was expected, so the wizard can show it as is.
import { StudioError } from '../errors.js';

export class DataError extends StudioError {
  constructor(file: string | undefined, problem: string) {
    super('data.invalid', file ? `${file}: ${problem}` : problem);
    this.name = 'DataError';
    if (file !== undefined) this.file = file;
  }
}
