import { runCrmApiContract } from '../../test/contracts/crm-api.contract.js';
import { TEST_DATABASES } from '../../test/support/databases.js';

runCrmApiContract(TEST_DATABASES.find((d) => d.name === 'pglite')!);
