import { runDatabaseContract } from '../../../test/contracts/database.contract.js';
import { TEST_DATABASES } from '../../../test/support/databases.js';

runDatabaseContract(TEST_DATABASES.find((d) => d.name === 'postgres')!);
