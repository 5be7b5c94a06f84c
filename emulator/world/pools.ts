/** Fictional name and place pools the generator draws from. */

export const GIVEN_NAMES = [
  'Aaron', 'Abigail', 'Adam', 'Adrian', 'Aisha', 'Alan', 'Alba', 'Alice', 'Amara', 'Amir', 'Ana', 'Andre', 'Anika', 'Anton',
  'Ari', 'Arjun', 'Astrid', 'Ava', 'Beatriz', 'Ben', 'Bianca', 'Boris', 'Bruno', 'Carla', 'Carlos', 'Caroline', 'Chen',
  'Chloe', 'Clara', 'Daniel', 'Dana', 'David', 'Diego', 'Dmitri', 'Elena', 'Eli', 'Elif', 'Emma', 'Erik', 'Esra', 'Ethan',
  'Eva', 'Farah', 'Felix', 'Fiona', 'Florian', 'Gabriel', 'Greta', 'Hana', 'Hannah', 'Hugo', 'Ian', 'Ida', 'Ines', 'Ingrid',
  'Isaac', 'Ivan', 'Jacob', 'Jana', 'Javier', 'Jin', 'Joao', 'Jonas', 'Julia', 'Kai', 'Karim', 'Kenji', 'Laila', 'Lars',
  'Laura', 'Leo', 'Lena', 'Liam', 'Lina', 'Lucas', 'Lucia', 'Luis', 'Maja', 'Marco', 'Maria', 'Mateo', 'Maya', 'Mei',
  'Mia', 'Mina', 'Nadia', 'Naomi', 'Nils', 'Nina', 'Noah', 'Nora', 'Olga', 'Omar', 'Oscar', 'Paula', 'Pedro', 'Priya',
  'Rafael', 'Rania', 'Ravi', 'Rosa', 'Ruben', 'Sam', 'Sara', 'Selin', 'Sofia', 'Stefan', 'Tariq', 'Tess', 'Theo', 'Tomas',
  'Uma', 'Valentina', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zara', 'Zoe',
] as const;

export const SURNAMES = [
  'Abbott', 'Adler', 'Alvarez', 'Andersen', 'Baker', 'Banerjee', 'Becker', 'Bennett', 'Berg', 'Bianchi', 'Brandt', 'Brooks',
  'Castillo', 'Chang', 'Costa', 'Cruz', 'Dahl', 'Dubois', 'Duarte', 'Eriksen', 'Evans', 'Farouk', 'Fischer', 'Fontaine',
  'Garcia', 'Gomez', 'Gupta', 'Hahn', 'Hansen', 'Hayes', 'Herrera', 'Hoffmann', 'Holm', 'Hughes', 'Ibrahim', 'Ito', 'Jansen',
  'Jensen', 'Kaplan', 'Keller', 'Khan', 'Kim', 'Klein', 'Koch', 'Kowalski', 'Kruger', 'Lambert', 'Larsen', 'Lee', 'Lindqvist',
  'Lopez', 'Martin', 'Meyer', 'Mendes', 'Moreau', 'Morris', 'Muller', 'Nakamura', 'Navarro', 'Nguyen', 'Nielsen', 'Novak',
  'Okafor', 'Olsen', 'Ortiz', 'Park', 'Patel', 'Perez', 'Petrov', 'Quinn', 'Ramos', 'Reyes', 'Richter', 'Rossi', 'Russo',
  'Sato', 'Schmidt', 'Schulz', 'Silva', 'Singh', 'Sorensen', 'Suzuki', 'Tanaka', 'Torres', 'Vargas', 'Vogel', 'Wagner',
  'Walsh', 'Weber', 'Wolf', 'Wong', 'Yamamoto', 'Yilmaz', 'Young', 'Zhang', 'Zimmermann',
] as const;

export const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Human Resources', 'Operations', 'Legal', 'IT', 'Customer Success', 'Research'] as const;

export const JOB_TITLES: Record<(typeof DEPARTMENTS)[number], readonly string[]> = {
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'QA Engineer', 'DevOps Engineer'],
  Sales: ['Account Executive', 'Sales Manager', 'Sales Representative', 'Sales Director'],
  Marketing: ['Marketing Specialist', 'Content Strategist', 'Marketing Manager', 'Product Marketing Manager'],
  Finance: ['Accountant', 'Financial Analyst', 'Controller', 'Finance Manager'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Business Partner'],
  Operations: ['Operations Analyst', 'Operations Manager', 'Logistics Coordinator'],
  Legal: ['Counsel', 'Paralegal', 'Compliance Officer'],
  IT: ['IT Administrator', 'Helpdesk Technician', 'Cloud Architect', 'Security Analyst'],
  'Customer Success': ['Customer Success Manager', 'Support Engineer', 'Support Lead'],
  Research: ['Research Scientist', 'Data Scientist', 'Research Lead'],
};

export interface Place {
  city: string;
  state: string | null;
  country: string;
  postalCode: string;
  usageLocation: string;
  preferredLanguage: string;
  streets: readonly string[];
}

export const PLACES: readonly Place[] = [
  { city: 'Seattle', state: 'WA', country: 'United States', postalCode: '98101', usageLocation: 'US', preferredLanguage: 'en-US', streets: ['Pine Street', '4th Avenue', 'Union Street'] },
  { city: 'Redmond', state: 'WA', country: 'United States', postalCode: '98052', usageLocation: 'US', preferredLanguage: 'en-US', streets: ['NE 36th Street', '156th Avenue NE'] },
  { city: 'Chicago', state: 'IL', country: 'United States', postalCode: '60601', usageLocation: 'US', preferredLanguage: 'en-US', streets: ['Wacker Drive', 'Michigan Avenue'] },
  { city: 'Toronto', state: 'ON', country: 'Canada', postalCode: 'M5H 2N2', usageLocation: 'CA', preferredLanguage: 'en-CA', streets: ['King Street West', 'Bay Street'] },
  { city: 'London', state: null, country: 'United Kingdom', postalCode: 'EC2A 4NE', usageLocation: 'GB', preferredLanguage: 'en-GB', streets: ['Old Street', 'City Road'] },
  { city: 'Berlin', state: 'Berlin', country: 'Germany', postalCode: '10115', usageLocation: 'DE', preferredLanguage: 'de-DE', streets: ['Invalidenstrasse', 'Torstrasse'] },
  { city: 'Munich', state: 'Bavaria', country: 'Germany', postalCode: '80331', usageLocation: 'DE', preferredLanguage: 'de-DE', streets: ['Sendlinger Strasse', 'Kaufingerstrasse'] },
  { city: 'Paris', state: 'Ile-de-France', country: 'France', postalCode: '75002', usageLocation: 'FR', preferredLanguage: 'fr-FR', streets: ['Rue de Rivoli', 'Rue du Louvre'] },
  { city: 'Madrid', state: 'Madrid', country: 'Spain', postalCode: '28013', usageLocation: 'ES', preferredLanguage: 'es-ES', streets: ['Gran Via', 'Calle de Alcala'] },
  { city: 'Zurich', state: 'ZH', country: 'Switzerland', postalCode: '8001', usageLocation: 'CH', preferredLanguage: 'de-CH', streets: ['Bahnhofstrasse', 'Limmatquai'] },
  { city: 'Sydney', state: 'NSW', country: 'Australia', postalCode: '2000', usageLocation: 'AU', preferredLanguage: 'en-AU', streets: ['George Street', 'Pitt Street'] },
];

/** Companies a guest can come from; each has its own mail domain. */
export const GUEST_ORGS = [
  { company: 'Northwind Traders', domain: 'northwindtraders.com' },
  { company: 'Proseware', domain: 'proseware.com' },
  { company: 'Lucerne Publishing', domain: 'lucernepublishing.com' },
  { company: 'Trey Research', domain: 'treyresearch.net' },
  { company: null, domain: 'outlook.com' },
  { company: null, domain: 'gmail.com' },
] as const;

/** Organisations a tenant can be; the home (partner) tenant and the customers are drawn from here by seed. */
export const ORGS = [
  { name: 'Contoso', domain: 'contoso', extraDomain: 'contoso-labs', country: 'US' },
  { name: 'Fabrikam', domain: 'fabrikam', extraDomain: 'fabrikam-eu', country: 'DE' },
  { name: 'Tailspin Toys', domain: 'tailspintoys', extraDomain: 'tailspin-kids', country: 'GB' },
  { name: 'Woodgrove Bank', domain: 'woodgrovebank', extraDomain: 'woodgrove-invest', country: 'US' },
  { name: 'Adventure Works', domain: 'adventure-works', extraDomain: 'aw-cycles', country: 'CA' },
  { name: 'Litware', domain: 'litware', extraDomain: 'litware-research', country: 'FR' },
  { name: 'Wingtip Toys', domain: 'wingtiptoys', extraDomain: 'wingtip-retail', country: 'AU' },
  { name: 'Alpine Ski House', domain: 'alpineskihouse', extraDomain: 'alpine-rentals', country: 'CH' },
  { name: 'Coho Winery', domain: 'cohowinery', extraDomain: 'coho-vineyard', country: 'ES' },
] as const;

/** Named administrators per tenant position: [Global Admin + Owner, admin but NOT Owner, (home only) second Owner]. */
export const ADMIN_NAMES: readonly (readonly [string, string][])[] = [
  [['Adele', 'Vance'], ['Megan', 'Bowen'], ['Alex', 'Wilber']],
  [['Lidia', 'Holloway'], ['Isaiah', 'Langer']],
  [['Patti', 'Fernandez'], ['Lynne', 'Robbins']],
  [['Diego', 'Siciliani'], ['Grady', 'Archie']],
  [['Johanna', 'Lorenz'], ['Miriam', 'Graham']],
];
