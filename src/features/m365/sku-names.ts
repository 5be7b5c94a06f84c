/**
 * Friendly product names for common Microsoft 365 SKUs, keyed by `skuPartNumber` (Graph subscribedSkus). The names
 * are those of Microsoft's "Product names and service plan identifiers for licensing" list. A SKU not listed here is
 * shown by its part number, which is what admins see in PowerShell anyway.
 */
const FRIENDLY_NAMES: Readonly<Record<string, string>> = {
  ENTERPRISEPACK: 'Office 365 E3',
  ENTERPRISEPREMIUM: 'Office 365 E5',
  STANDARDPACK: 'Office 365 E1',
  DESKLESSPACK: 'Office 365 F3',
  SPE_E3: 'Microsoft 365 E3',
  SPE_E5: 'Microsoft 365 E5',
  SPE_F1: 'Microsoft 365 F3',
  M365_F1: 'Microsoft 365 F1',
  O365_BUSINESS_ESSENTIALS: 'Microsoft 365 Business Basic',
  O365_BUSINESS_PREMIUM: 'Microsoft 365 Business Standard',
  SPB: 'Microsoft 365 Business Premium',
  O365_BUSINESS: 'Microsoft 365 Apps for business',
  OFFICESUBSCRIPTION: 'Microsoft 365 Apps for enterprise',
  EMS: 'Enterprise Mobility + Security E3',
  EMSPREMIUM: 'Enterprise Mobility + Security E5',
  AAD_PREMIUM: 'Microsoft Entra ID P1',
  AAD_PREMIUM_P2: 'Microsoft Entra ID P2',
  INTUNE_A: 'Microsoft Intune Plan 1',
  EXCHANGESTANDARD: 'Exchange Online (Plan 1)',
  EXCHANGEENTERPRISE: 'Exchange Online (Plan 2)',
  POWER_BI_STANDARD: 'Microsoft Fabric (Free)',
  POWER_BI_PRO: 'Power BI Pro',
  PBI_PREMIUM_PER_USER: 'Power BI Premium Per User',
  VISIOCLIENT: 'Visio Plan 2',
  VISIOONLINE_PLAN1: 'Visio Plan 1',
  PROJECTPREMIUM: 'Project Plan 5',
  PROJECTPROFESSIONAL: 'Project Plan 3',
  PROJECT_P1: 'Project Plan 1',
  FLOW_FREE: 'Power Automate (free)',
  POWERAPPS_VIRAL: 'Power Apps Plan 2 Trial',
  TEAMS_EXPLORATORY: 'Microsoft Teams Exploratory',
  MCOEV: 'Microsoft Teams Phone Standard',
  MCOMEETADV: 'Microsoft 365 Audio Conferencing',
  WIN10_VDA_E3: 'Windows 10/11 Enterprise E3',
  WINDOWS_STORE: 'Windows Store for Business',
  DEVELOPERPACK_E5: 'Microsoft 365 E5 Developer',
  Microsoft_365_Copilot: 'Microsoft 365 Copilot',
};

/** The product name for a skuPartNumber, or the part number itself when it is not a well-known SKU. */
export function friendlySkuName(skuPartNumber: string): string {
  return FRIENDLY_NAMES[skuPartNumber] ?? FRIENDLY_NAMES[skuPartNumber.toUpperCase()] ?? skuPartNumber;
}

/** Whether the name came from the list (so the card can show the part number beside an unknown one only once). */
export function isKnownSku(skuPartNumber: string): boolean {
  return friendlySkuName(skuPartNumber) !== skuPartNumber;
}
