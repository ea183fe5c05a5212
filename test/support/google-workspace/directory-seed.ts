/**
 * A realistic, seeded Workspace directory: people with accented and multi-part names, departments,
 * titles, cost centres, employee numbers, managers and phones; a few suspended, archived or never signed
 * in; groups (some sharing a display name) with owners, managers and members, nested when asked.
 */
import { prng } from '../prng.js';
import type { DirectoryData } from './directory-data.js';
import { NEVER, slug, testDomainAlias, type GoogleUser, type UserInit } from './directory-resources.js';

/** What `DirectoryData.seed` generates. */
export interface SeedOptions {
  /** Users in all, the first being admin@domain (which is always there). */
  users: number;
  groups: number;
  /** Users picked for each group (default 10, at most the number of users). */
  membersPerGroup?: number;
  /** Groups that get the next group as a member: group 0 holds group 1, which holds group 2… */
  nestedGroups?: number;
  seed?: number;
}

/** Every address made from these sorts after admin@, so a freshly seeded directory lists the admin first. */
const GIVEN_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Amara', 'Mateo', 'Sofia', 'Hiroshi', 'Yuki', 'Priya', 'Omar', 'Elena', 'Lars', 'Ingrid',
  'Kofi', 'Ana', 'Mei', 'Dmitri', 'Aoife', 'Rahul', 'Lucía', 'François', 'Björn', 'José', 'Zoë', 'Łukasz', 'Søren', 'Chloé',
  'Ngozi', 'Wei', 'Arjun', 'Fatima', 'Grace', 'Samuel', 'Isabella', 'Ethan', 'Ava', 'Lucas', 'Mia', 'James', 'Chidi', 'Leila',
  'Jun', 'Tomás', 'Siobhan', 'Nikolai', 'Hannah', 'Benjamin', 'Mary Jane', 'Jean-Luc',
];
const FAMILY_NAMES = [
  'Smith', 'García', 'Müller', 'Nguyen', "O'Brien", 'Kowalski', 'Rossi', 'Dubois', 'Johansson', 'Tanaka', 'Kim', 'Patel',
  'Okafor', 'Silva', 'Ivanova', 'van der Berg', 'Hernández', 'Andersen', 'Schmidt', 'Chen', 'Wang', 'Khan', 'Murphy', 'Novak',
  'Costa', 'Yamamoto', 'Fischer', 'Larsen', 'Moreau', 'Kaur', 'Mensah', 'Haddad', 'Santos', 'López', 'Brown', 'Wilson',
  'Taylor', 'Lee', 'Martin', 'Clarke', 'Walker', 'Young', 'Wright', 'King', 'Scott', 'Green', 'Baker', 'Adams', 'Nakamura', 'Søndergaard',
];
const DEPARTMENTS = [
  { name: 'Engineering', costCenter: 'CC-1100', titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Site Reliability Engineer', 'QA Engineer'] },
  { name: 'Product', costCenter: 'CC-1200', titles: ['Product Manager', 'Senior Product Manager', 'Product Analyst'] },
  { name: 'Design', costCenter: 'CC-1300', titles: ['Product Designer', 'UX Researcher', 'Brand Designer'] },
  { name: 'Sales', costCenter: 'CC-2100', titles: ['Account Executive', 'Sales Development Representative', 'Solutions Engineer'] },
  { name: 'Marketing', costCenter: 'CC-2200', titles: ['Content Marketer', 'Growth Marketer', 'Event Manager'] },
  { name: 'Customer Support', costCenter: 'CC-2300', titles: ['Support Specialist', 'Support Engineer', 'Customer Success Manager'] },
  { name: 'Finance', costCenter: 'CC-3100', titles: ['Accountant', 'Financial Analyst', 'Controller'] },
  { name: 'People', costCenter: 'CC-3200', titles: ['Recruiter', 'People Partner', 'People Operations Specialist'] },
  { name: 'Legal', costCenter: 'CC-3300', titles: ['Counsel', 'Paralegal'] },
  { name: 'Operations', costCenter: 'CC-3400', titles: ['Operations Manager', 'Office Manager', 'IT Support Specialist'] },
];
const GROUP_NAMES = [
  'All Staff', 'Engineering', 'Engineering Leads', 'Platform', 'Mobile', 'Web', 'Data', 'Security', 'Product', 'Design', 'Sales',
  'Sales EMEA', 'Sales Americas', 'Sales APAC', 'Marketing', 'Customer Support', 'Support Tier 2', 'Finance', 'People Team', 'Legal',
  'Operations', 'Managers', 'Interns', 'On-call', 'Office London', 'Office Berlin', 'Office New York', 'Office Tokyo', 'Book Club', 'Running Club',
];
const LANGUAGES = ['en', 'en', 'en', 'en', 'de', 'fr', 'es', 'ja', 'pt-BR'];
const COUNTRY_CODES = ['+1 415', '+44 20', '+49 30', '+81 3', '+33 1'];
/** A quiet day in 2024, as seconds: creation and sign-in times are spread before it. */
const NOW_SECONDS = Date.UTC(2024, 5, 1) / 1000;

export function seedDirectory(directory: DirectoryData, options: SeedOptions): void {
  const random = prng((options.seed ?? 1) * 7919 + 13);
  const time = (daysBack: number) => new Date((NOW_SECONDS - random.int(daysBack * 86_400)) * 1000).toISOString();
  const heads = new Map<string, string[]>();
  const admin = `admin@${directory.domain}`;
  const users: GoogleUser[] = directory.users();

  for (let index = 1; index < options.users; index++) {
    const givenName = random.pick(GIVEN_NAMES);
    const familyName = random.pick(FAMILY_NAMES);
    const department = DEPARTMENTS[index % DEPARTMENTS.length];
    const leads = heads.get(department.name) ?? [];
    const head = leads.length === 0;
    const neverSignedIn = random.chance(0.08);
    const init: UserInit = {
      primaryEmail: directory.freeAddress(`${slug(givenName)}.${slug(familyName)}`),
      name: { givenName, familyName },
      creationTime: time(2000),
      lastLoginTime: neverSignedIn ? NEVER : time(30),
      agreedToTerms: !neverSignedIn,
      changePasswordAtNextLogin: neverSignedIn,
      suspended: random.chance(0.03),
      archived: random.chance(0.01),
      orgUnitPath: `/${department.name}`,
      languages: [{ languageCode: random.pick(LANGUAGES), preference: 'preferred' }],
    };
    // A few people have no organization at all, and so no department, title or manager.
    if (head || !random.chance(0.04)) {
      init.organizations = [
        {
          title: head ? `Head of ${department.name}` : random.pick(department.titles),
          primary: true,
          customType: '',
          department: department.name,
          costCenter: department.costCenter,
          description: random.chance(0.5) ? 'Full time' : 'Contractor',
        },
      ];
      init.relations = [{ value: head ? admin : random.pick(leads), type: 'manager' }];
    }
    if (random.chance(0.95)) init.externalIds = [{ value: `E${String(10_000 + index)}`, type: 'organization' }];
    if (random.chance(0.8)) {
      const number = () => `${random.pick(COUNTRY_CODES)} ${String(1000 + random.int(9000))} ${String(1000 + random.int(9000))}`;
      init.phones = [{ value: number(), type: 'work', primary: true }, ...(random.chance(0.3) ? [{ value: number(), type: 'mobile' }] : [])];
    }
    if (random.chance(0.1)) {
      const primaryEmail = init.primaryEmail as string;
      init.emails = [{ address: primaryEmail, primary: true }, { address: testDomainAlias(primaryEmail) }, { address: `${slug(givenName)}@personal.example`, type: 'home' }];
    }
    if (random.chance(0.4)) init.thumbnailPhotoUrl = `https://lh3.googleusercontent.com/a-/seed${options.seed ?? 1}x${index}=s96-c`;
    if (random.chance(0.2)) init.customSchemas = { Employment: { startDate: time(2000).slice(0, 10), remote: random.chance(0.5) } };
    const user = directory.addUser(init);
    if (leads.length < 5) heads.set(department.name, [...leads, user.primaryEmail]);
    users.push(user);
  }

  const perGroup = Math.min(options.membersPerGroup ?? 10, users.length);
  const groupIds: string[] = [];
  const groupNames: string[] = [];
  for (let index = 0; index < options.groups; index++) {
    const round = Math.floor(index / GROUP_NAMES.length);
    const base = GROUP_NAMES[index % GROUP_NAMES.length];
    // Every 25th group shares the previous one's display name, as two "Engineering" groups in two offices do.
    const name = index % 25 === 24 ? groupNames[index - 1] : round === 0 ? base : `${base} ${round + 1}`;
    const group = directory.addGroup({
      name,
      email: directory.freeAddress(slug(name) || 'group'),
      description: random.chance(0.7) ? `${name} at ${directory.domain}` : '',
      adminCreated: !random.chance(0.1),
    });
    groupIds.push(group.id);
    groupNames.push(name);
    const picked = new Set<number>();
    while (picked.size < perGroup) picked.add(random.int(users.length));
    [...picked].forEach((at, position) => directory.addMember(group.id, users[at].id, 'USER', position === 0 ? 'OWNER' : position === 1 ? 'MANAGER' : 'MEMBER'));
    // One group in ten also has someone from outside the domain.
    if (index % 10 === 9) directory.addMember(group.id, `partner${index}@partner.example`, 'USER');
  }
  for (let index = 0; index < Math.min(options.nestedGroups ?? 0, groupIds.length - 1); index++) {
    directory.addMember(groupIds[index], groupIds[index + 1], 'GROUP');
  }
}
