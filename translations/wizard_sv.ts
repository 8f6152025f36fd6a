<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>CaseController</name>
    <message>
        <source>the saved cases are in use by another program or window; close it if this lasts</source>
        <translation>de sparade ärendena används av ett annat program eller fönster; stäng det om det håller i sig</translation>
    </message>
    <message>
        <source>%1 is read-only</source>
        <translation>%1 är skrivskyddad</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>disken är full</translation>
    </message>
    <message>
        <source>the folder %1 cannot be created</source>
        <translation>mappen %1 kan inte skapas</translation>
    </message>
    <message>
        <source>the case database %1 cannot be opened</source>
        <translation>ärendedatabasen %1 kan inte öppnas</translation>
    </message>
    <message>
        <source>reading or writing %1 failed</source>
        <translation>det gick inte att läsa eller skriva %1</translation>
    </message>
    <message>
        <source>the case database %1 is damaged</source>
        <translation>ärendedatabasen %1 är skadad</translation>
    </message>
    <message>
        <source>case %2 was changed in another window</source>
        <translation>ärende %2 har ändrats i ett annat fönster</translation>
    </message>
    <message>
        <source>the case database %1 failed (%3)</source>
        <translation>ärendedatabasen %1 fungerade inte (%3)</translation>
    </message>
    <message>
        <source>it is not among the saved cases</source>
        <translation>det finns inte bland de sparade ärendena</translation>
    </message>
    <message>
        <source>its saved data does not fit the flows as they are now (%1)</source>
        <translation>dess sparade uppgifter passar inte flödena som de ser ut nu (%1)</translation>
    </message>
    <message>
        <source>Saved cases cannot be opened: %1. New cases stay in memory until saving works.</source>
        <translation>Sparade ärenden kan inte öppnas: %1. Nya ärenden finns kvar i minnet tills det går att spara.</translation>
    </message>
    <message>
        <source>Case %1 cannot be opened: %2</source>
        <translation>Ärende %1 kan inte öppnas: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Sparat %1</translation>
    </message>
    <message>
        <source>Not saved: %1. Your changes are kept and saving is tried again.</source>
        <translation>Inte sparat: %1. Dina ändringar finns kvar och sparandet görs om.</translation>
    </message>
    <message>
        <source>Not saved: %1. Your changes are kept in this window.</source>
        <translation>Inte sparat: %1. Dina ändringar finns kvar i det här fönstret.</translation>
    </message>
    <message>
        <source>The case database could not be used and was kept aside as %1; a new one was started.</source>
        <translation>Ärendedatabasen gick inte att använda och sparades undan som %1; en ny har skapats.</translation>
    </message>
    <message>
        <source>The saved cases in %1 can be read but not changed (read-only). Your work is kept in this window and saving is tried again.</source>
        <translation>De sparade ärendena i %1 kan läsas men inte ändras (skrivskyddade). Ditt arbete finns kvar i det här fönstret och sparandet görs om.</translation>
    </message>
    <message>
        <source>Case %1 was changed in another window meanwhile. Your version is saved as a copy, %2; the other version stays under %1.</source>
        <translation>Ärende %1 ändrades under tiden i ett annat fönster. Din version har sparats som en kopia, %2; den andra versionen finns kvar under %1.</translation>
    </message>
</context>
<context>
    <name>CasePanel</name>
    <message>
        <source>Note on step %1: %2</source>
        <translation>Anteckning för steg %1: %2</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Ärende</translation>
    </message>
    <message>
        <source>Case id</source>
        <translation>Ärende-id</translation>
    </message>
    <message>
        <source>&amp;Ticket:</source>
        <translation>Ä&amp;rendenummer:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>A&amp;nvändare:</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Enhet:</translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation>Han&amp;dläggare:</translation>
    </message>
    <message>
        <source>UP&amp;N:</source>
        <translation>&amp;UPN:</translation>
    </message>
    <message>
        <source>Platfor&amp;m:</source>
        <translation>&amp;Plattform:</translation>
    </message>
    <message>
        <source>&amp;OS version:</source>
        <translation>&amp;OS-version:</translation>
    </message>
    <message>
        <source>&amp;Serial number:</source>
        <translation>Serienu&amp;mmer:</translation>
    </message>
    <message>
        <source>&amp;IMEI:</source>
        <translation>&amp;IMEI:</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>namn@example.com</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>valfritt</translation>
    </message>
    <message>
        <source>Gene&amp;ral note:</source>
        <translation>Allmän ante&amp;ckning:</translation>
    </message>
    <message>
        <source>General note</source>
        <translation>Allmän anteckning</translation>
    </message>
    <message>
        <source>Note on this step</source>
        <translation>Anteckning för det här steget</translation>
    </message>
    <message>
        <source>What did you check or find here?</source>
        <translation>Vad kontrollerade eller hittade du här?</translation>
    </message>
    <message>
        <source>Anything else for the ticket</source>
        <translation>Övrigt till ärendesystemet</translation>
    </message>
    <message>
        <source>A note holds at most %1 characters, and all the notes of a case together %2; what went beyond that was not added.</source>
        <translation>En anteckning rymmer högst %1 tecken och alla anteckningar i ett ärende tillsammans %2; det som gick utöver det lades inte till.</translation>
    </message>
</context>
<context>
    <name>CaseSummary</name>
    <message>
        <source>✓ Copied</source>
        <translation>✓ Kopierat</translation>
    </message>
    <message>
        <source>Case summary</source>
        <translation>Sammanfattning av ärendet</translation>
    </message>
    <message>
        <source>Copy for the tic&amp;ket</source>
        <translation>Kopiera &amp;för ärendesystemet</translation>
    </message>
    <message>
        <source>Language of the e&amp;xport:</source>
        <translation>Exportens språ&amp;k:</translation>
    </message>
    <message>
        <source>The whole note, as it is copied and exported:</source>
        <translation>Hela anteckningen, så som den kopieras och exporteras:</translation>
    </message>
    <message>
        <source>Copies the summary as plain text and as formatted text</source>
        <translation>Kopierar sammanfattningen som oformaterad text och som formaterad text</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xportera…</translation>
    </message>
    <message>
        <source>&amp;Close the case</source>
        <translation>S&amp;täng ärendet</translation>
    </message>
    <message>
        <source>Marks the case finished; it stays in the case history</source>
        <translation>Markerar ärendet som stängt; det finns kvar i ärendehistoriken</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Markdown (.md)</source>
        <translation>Markdown (.md)</translation>
    </message>
    <message>
        <source>Web page (.html)</source>
        <translation>Webbsida (.html)</translation>
    </message>
    <message>
        <source>PDF (.pdf)</source>
        <translation>PDF (.pdf)</translation>
    </message>
    <message>
        <source>Plain text (.txt)</source>
        <translation>Oformaterad text (.txt)</translation>
    </message>
    <message>
        <source>Case file for hand-off (.json)</source>
        <translation>Ärendefil för överlämning (.json)</translation>
    </message>
    <message>
        <source>Export the case</source>
        <translation>Exportera ärendet</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Språk:</translation>
    </message>
    <message>
        <source>&amp;Hide personal data (names, UPN, device name, serial number, IMEI)</source>
        <translation>&amp;Dölj personuppgifter (namn, UPN, enhetsnamn, serienummer, IMEI)</translation>
    </message>
    <message>
        <source>Include the &amp;screenshots</source>
        <translation>&amp;Ta med skärmbilderna</translation>
    </message>
</context>
<context>
    <name>FlowCard</name>
    <message>
        <source>Your own flows</source>
        <translation>Dina egna flöden</translation>
    </message>
    <message>
        <source>Pack: %1</source>
        <translation>Paket: %1</translation>
    </message>
</context>
<context>
    <name>FlowMapDialog</name>
    <message>
        <source>Flow map: %1</source>
        <translation>Flödeskarta: %1</translation>
    </message>
    <message>
        <source>Laying out the map of %1 steps…</source>
        <translation>Ritar kartan med %1 steg…</translation>
    </message>
    <message>
        <source>SVG drawing</source>
        <translation>SVG-teckning</translation>
    </message>
    <message>
        <source>PNG picture</source>
        <translation>PNG-bild</translation>
    </message>
    <message>
        <source>Save the flow map</source>
        <translation>Spara flödeskartan</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Kunde inte spara %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Sparat %1</translation>
    </message>
    <message>
        <source>&amp;Flow:</source>
        <translation>&amp;Flöde:</translation>
    </message>
    <message>
        <source>&amp;Peek</source>
        <translation>Snabb&amp;titt</translation>
    </message>
    <message>
        <source>Look at other steps without leaving yours</source>
        <translation>Ta en snabbtitt på andra steg utan att lämna ditt</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Passa in</translation>
    </message>
    <message>
        <source>Show the whole map (Ctrl+0)</source>
        <translation>Visa hela kartan (Ctrl+0)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zooma in</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zooma ut</translation>
    </message>
    <message>
        <source>Save as &amp;SVG…</source>
        <translation>Spara som &amp;SVG…</translation>
    </message>
    <message>
        <source>Save as P&amp;NG…</source>
        <translation>Spara som P&amp;NG…</translation>
    </message>
</context>
<context>
    <name>FlowMapView</name>
    <message>
        <source>in the flow “%1”</source>
        <translation>i flödet ”%1”</translation>
    </message>
    <message>
        <source>you are here</source>
        <translation>du är här</translation>
    </message>
    <message>
        <source>on the path</source>
        <translation>på vägen hittills</translation>
    </message>
    <message>
        <source>Flow map</source>
        <translation>Flödeskarta</translation>
    </message>
    <message>
        <source>You are here</source>
        <translation>Du är här</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>The case history cannot be read: %1</source>
        <translation>Ärendehistoriken kan inte läsas: %1</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Pågår</translation>
    </message>
    <message>
        <source>Could not duplicate the case: %1</source>
        <translation>Det gick inte att duplicera ärendet: %1</translation>
    </message>
    <message>
        <source>Copied as %1.</source>
        <translation>Duplicerat som %1.</translation>
    </message>
    <message>
        <source>Delete the case?</source>
        <translation>Ta bort ärendet?</translation>
    </message>
    <message>
        <source>Case %1 is deleted for good.</source>
        <translation>Ärende %1 tas bort för gott.</translation>
    </message>
    <message>
        <source>Could not delete the case: %1</source>
        <translation>Det gick inte att ta bort ärendet: %1</translation>
    </message>
    <message>
        <source>Case %1 was deleted.</source>
        <translation>Ärende %1 togs bort.</translation>
    </message>
    <message>
        <source>Cases are kept until you delete them.</source>
        <translation>Ärenden sparas tills du tar bort dem.</translation>
    </message>
    <message numerus="yes">
        <source>%n old case(s) deleted.</source>
        <translation>
            <numerusform>%n gammalt ärende togs bort.</numerusform>
            <numerusform>%n gamla ärenden togs bort.</numerusform>
        </translation>
    </message>
    <message>
        <source>Case history</source>
        <translation>Ärendehistorik</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Sök:</translation>
    </message>
    <message>
        <source>ticket, user, device, error code or any text</source>
        <translation>ärendenummer, användare, enhet, felkod eller annan text</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Ändrat</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Ärende</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ärendenummer</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Användare</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Enhet</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Fortsätt</translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation>Spela &amp;upp</translation>
    </message>
    <message>
        <source>Step through the case as it was taken, with personal data hidden</source>
        <translation>Stega igenom ärendet som det gicks igenom, med personuppgifter dolda</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplicera</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportera…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Ta bort…</translation>
    </message>
    <message>
        <source>De&amp;lete cases not changed for (days, 0 = never):</source>
        <translation>Ta &amp;bort ärenden som inte ändrats på (dagar, 0 = aldrig):</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Verkställ</translation>
    </message>
</context>
<context>
    <name>LegendWidget</name>
    <message>
        <source>In another flow</source>
        <translation>I ett annat flöde</translation>
    </message>
    <message>
        <source>Goes back</source>
        <translation>Går tillbaka</translation>
    </message>
    <message>
        <source>Path taken</source>
        <translation>Vägen hittills</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Teckenförklaring</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Change this answer?</source>
        <translation>Ändra svaret?</translation>
    </message>
    <message>
        <source>The steps after this one hold notes or ticked actions. Changing the answer removes them from the case.</source>
        <translation>Stegen efter det här har anteckningar eller avbockade åtgärder. Om du ändrar svaret tas de bort från ärendet.</translation>
    </message>
    <message>
        <source>Restart the walk?</source>
        <translation>Börja om genomgången?</translation>
    </message>
    <message>
        <source>Leave the replay or presentation mode, or clear the search</source>
        <translation>Lämna uppspelningen eller presentationsläget, eller töm sökrutan</translation>
    </message>
    <message>
        <source>The step you asked for opens when you close this dialog</source>
        <translation>Steget du bad om öppnas när du stänger den här dialogrutan</translation>
    </message>
    <message>
        <source>Notes and ticked actions of this walk are removed from the path.</source>
        <translation>Anteckningar och avbockade åtgärder i den här genomgången tas bort från vägen hittills.</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>Kopierat till Urklipp</translation>
    </message>
    <message>
        <source>Case %1 closed; it is in the case history (Ctrl+H).</source>
        <translation>Ärende %1 är stängt; det finns i ärendehistoriken (Ctrl+H).</translation>
    </message>
    <message>
        <source>Start or continue a case first.</source>
        <translation>Starta eller fortsätt ett ärende först.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Det gick inte att skriva %1: %2</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exporterat till %1</translation>
    </message>
    <message>
        <source>Case %1 cannot be opened: %2</source>
        <translation>Ärende %1 kan inte öppnas: %2</translation>
    </message>
    <message>
        <source>The organisation&apos;s settings file %1 could not be read (%2); its flow packs are left out.</source>
        <translation>Organisationens inställningsfil %1 kunde inte läsas (%2); dess flödespaket används inte.</translation>
    </message>
    <message>
        <source>The organisation&apos;s settings file %1 is not valid (%2); its flow packs are left out.</source>
        <translation>Organisationens inställningsfil %1 är inte giltig (%2); dess flödespaket används inte.</translation>
    </message>
    <message>
        <source>Flows reloaded.</source>
        <translation>Flödena har lästs in igen.</translation>
    </message>
    <message>
        <source>Showing the last good version of: %1.</source>
        <translation>Visar den senaste fungerande versionen av: %1.</translation>
    </message>
    <message>
        <source>The step you were on (%1) is no longer in the flows; start again from here.</source>
        <translation>Steget du var på (%1) finns inte längre i flödena; börja om härifrån.</translation>
    </message>
    <message>
        <source>The flow changed before this step; the path was filled in again.</source>
        <translation>Flödet ändrades före det här steget; vägen hittills har fyllts i på nytt.</translation>
    </message>
    <message>
        <source>Replay a case file</source>
        <translation>Spela upp en ärendefil</translation>
    </message>
    <message>
        <source>Case files (*.json)</source>
        <translation>Ärendefiler (*.json)</translation>
    </message>
    <message>
        <source>%1 cannot be replayed: %2</source>
        <translation>%1 kan inte spelas upp: %2</translation>
    </message>
    <message>
        <source>Troubleshooting Wizard</source>
        <translation>Felsökningsguiden</translation>
    </message>
    <message>
        <source>1 – 9</source>
        <translation>1 – 9</translation>
    </message>
    <message>
        <source>Choose an answer</source>
        <translation>Välj ett svar</translation>
    </message>
    <message>
        <source>Flow &amp;map…</source>
        <translation>Flödes&amp;karta…</translation>
    </message>
    <message>
        <source>Show the pa&amp;th panel</source>
        <translation>Visa &amp;vägen hittills</translation>
    </message>
    <message>
        <source>Continue, or open the selected search hit</source>
        <translation>Fortsätt, eller öppna den valda sökträffen</translation>
    </message>
    <message>
        <source>Tick or untick the focused action</source>
        <translation>Bocka av den fokuserade åtgärden eller ta bort bocken</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Kortkommandon</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Troubleshooting Wizard %1&lt;/h3&gt;&lt;p&gt;Decision flows for first-line support, in Swedish and English.&lt;/p&gt;&lt;p&gt;Licence: MIT. Built with Qt %2 and Qt for Python %3 (LGPLv3), PyYAML (MIT) and platformdirs (MIT).&lt;/p&gt;&lt;p&gt;Flow content is based on Microsoft&apos;s article “Troubleshoot device enrollment in Microsoft Intune”; the screenshots are our own drawings.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Felsökningsguiden %1&lt;/h3&gt;&lt;p&gt;Beslutsflöden för första linjens support, på svenska och engelska.&lt;/p&gt;&lt;p&gt;Licens: MIT. Byggd med Qt %2 och Qt for Python %3 (LGPLv3), PyYAML (MIT) och platformdirs (MIT).&lt;/p&gt;&lt;p&gt;Flödenas innehåll bygger på Microsofts artikel ”Felsöka enhetsregistrering i Microsoft Intune”; skärmbilderna är våra egna teckningar.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Troubleshooting Wizard</source>
        <translation>Om Felsökningsguiden</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arkiv</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gå</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visa</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Språk</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjälp</translation>
    </message>
    <message>
        <source>&amp;New walk</source>
        <translation>&amp;Ny genomgång</translation>
    </message>
    <message>
        <source>&amp;Restart walk</source>
        <translation>&amp;Börja om genomgången</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Avsluta</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Sök</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Bakåt</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>&amp;Framåt</translation>
    </message>
    <message>
        <source>Go to the &amp;path</source>
        <translation>Gå till &amp;vägen hittills</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>&amp;Större text</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>&amp;Mindre text</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>&amp;Normal textstorlek</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Kortkommandon</translation>
    </message>
    <message>
        <source>&amp;About Troubleshooting Wizard</source>
        <translation>&amp;Om Felsökningsguiden</translation>
    </message>
    <message>
        <source>&amp;Export case…</source>
        <translation>&amp;Exportera ärendet…</translation>
    </message>
    <message>
        <source>&amp;Close case</source>
        <translation>S&amp;täng ärendet</translation>
    </message>
    <message>
        <source>Case &amp;history…</source>
        <translation>Ärende&amp;historik…</translation>
    </message>
    <message>
        <source>Re&amp;play a case file…</source>
        <translation>S&amp;pela upp en ärendefil…</translation>
    </message>
    <message>
        <source>S&amp;tatistics…</source>
        <translation>Stat&amp;istik…</translation>
    </message>
    <message>
        <source>Show the &amp;case panel</source>
        <translation>Visa ä&amp;rendepanelen</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>&amp;Presentationsläge</translation>
    </message>
    <message>
        <source>Save &amp;demo walks as cases</source>
        <translation>Spara &amp;demogenomgångar som ärenden</translation>
    </message>
    <message>
        <source>Flow problems</source>
        <translation>Problem i flödena</translation>
    </message>
    <message>
        <source>Could not save the settings: %1</source>
        <translation>Det gick inte att spara inställningarna: %1</translation>
    </message>
    <message>
        <source>Quit without saving?</source>
        <translation>Avsluta utan att spara?</translation>
    </message>
    <message>
        <source>The open case could not be saved (the status under the case says why). Quit anyway and lose the latest changes?</source>
        <translation>Det öppna ärendet kunde inte sparas (statusraden under ärendet säger varför). Avsluta ändå och förlora de senaste ändringarna?</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>Question</source>
        <translation>Fråga</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Åtgärder</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Information</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Löst</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Eskalera</translation>
    </message>
    <message>
        <source>Not resolved</source>
        <translation>Inte löst</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Eskalerat</translation>
    </message>
</context>
<context>
    <name>NodePreview</name>
    <message>
        <source>Escalate to: %1</source>
        <translation>Eskalera till: %1</translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation>Val:</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>Nästa: %1</translation>
    </message>
    <message>
        <source>Click a step on the map to look at it. Your walk stays where it is.</source>
        <translation>Klicka på ett steg i kartan för att ta en snabbtitt på det. Din genomgång stannar där den är.</translation>
    </message>
    <message>
        <source>Peek</source>
        <translation>Snabbtitt</translation>
    </message>
    <message>
        <source>&amp;Back to where I was</source>
        <translation>Till&amp;baka dit jag var</translation>
    </message>
    <message>
        <source>Close the preview; nothing in the walk has changed</source>
        <translation>Stäng förhandsvisningen; inget i genomgången har ändrats</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message numerus="yes">
        <source>%n flow file(s) could not be loaded and are left out.</source>
        <translation>
            <numerusform>%n flödesfil kunde inte läsas in och är utelämnad.</numerusform>
            <numerusform>%n flödesfiler kunde inte läsas in och är utelämnade.</numerusform>
        </translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>Problem hittades</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detaljer</translation>
    </message>
</context>
<context>
    <name>OutputProblem</name>
    <message>
        <source>it is a folder</source>
        <translation>det är en mapp</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>mappen finns inte</translation>
    </message>
    <message>
        <source>its folder is a file</source>
        <translation>dess mapp är en fil</translation>
    </message>
    <message>
        <source>it is a link to something that does not exist</source>
        <translation>det är en länk till något som inte finns</translation>
    </message>
    <message>
        <source>it is not a file, a pipe or a device</source>
        <translation>det är varken en fil, en pipe eller en enhet</translation>
    </message>
    <message>
        <source>it changed while it was being written</source>
        <translation>den ändrades medan den skrevs</translation>
    </message>
</context>
<context>
    <name>PathPanel</name>
    <message>
        <source>%1 of %2 actions done</source>
        <translation>%1 av %2 åtgärder gjorda</translation>
    </message>
    <message>
        <source>filled in by the search</source>
        <translation>ifyllt av sökningen</translation>
    </message>
    <message>
        <source>filled in by the link you opened</source>
        <translation>ifyllt av länken du öppnade</translation>
    </message>
    <message>
        <source>filled in from the flow map</source>
        <translation>ifyllt från flödeskartan</translation>
    </message>
    <message>
        <source>filled in again after the flows changed</source>
        <translation>ifyllt igen när flödena ändrades</translation>
    </message>
    <message>
        <source>filled in, not answered by you</source>
        <translation>ifyllt, inte besvarat av dig</translation>
    </message>
    <message>
        <source>note</source>
        <translation>anteckning</translation>
    </message>
    <message>
        <source>Go back to this step</source>
        <translation>Gå tillbaka till det här steget</translation>
    </message>
    <message>
        <source>Not answered by you; go back to this step to answer it yourself</source>
        <translation>Inte besvarat av dig; gå tillbaka till steget om du vill svara själv</translation>
    </message>
    <message>
        <source>A later step, kept until you change an answer before it</source>
        <translation>Ett senare steg, som finns kvar tills du ändrar ett svar före det</translation>
    </message>
    <message>
        <source>&amp;Path</source>
        <translation>Vägen hitti&amp;lls</translation>
    </message>
    <message>
        <source>Steps taken</source>
        <translation>Tagna steg</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <source>Replay of case %1%2</source>
        <translation>Uppspelning av ärende %1%2</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Steg %1 av %2</translation>
    </message>
    <message>
        <source>This step was %1; the agent did not answer it.</source>
        <translation>Det här steget är %1; handläggaren svarade inte på det.</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Anteckning: %1</translation>
    </message>
    <message>
        <source>No note on this step.</source>
        <translation>Ingen anteckning på det här steget.</translation>
    </message>
    <message>
        <source>◀ P&amp;revious</source>
        <translation>◀ &amp;Föregående</translation>
    </message>
    <message>
        <source>Hi&amp;de personal data</source>
        <translation>&amp;Dölj personuppgifter</translation>
    </message>
    <message>
        <source>&amp;Next ▶</source>
        <translation>&amp;Nästa ▶</translation>
    </message>
    <message>
        <source>E&amp;xit replay</source>
        <translation>Avsluta &amp;uppspelningen</translation>
    </message>
</context>
<context>
    <name>SettingsNotice</name>
    <message>
        <source>it is larger than 1 MiB</source>
        <translation>den är större än 1 MiB</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>den är inte UTF-8-text</translation>
    </message>
    <message>
        <source>it is not valid JSON</source>
        <translation>den är inte giltig JSON</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>den är nästlad för djupt</translation>
    </message>
    <message>
        <source>it does not hold a JSON object</source>
        <translation>den innehåller inte något JSON-objekt</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>den är inte en vanlig fil</translation>
    </message>
    <message>
        <source>it cannot be read</source>
        <translation>den kan inte läsas</translation>
    </message>
    <message>
        <source>Some settings in %1 are unknown, of the wrong type or out of range and are not used: %2. Their defaults apply.</source>
        <translation>Några inställningar i %1 är okända, har fel typ eller ligger utanför tillåtet intervall och används inte: %2. Deras standardvärden gäller.</translation>
    </message>
    <message>
        <source>The settings file could not be read (%1). It was kept as %2 and the defaults are used.</source>
        <translation>Det gick inte att läsa inställningsfilen (%1). Den har sparats undan som %2 och standardinställningarna används.</translation>
    </message>
    <message>
        <source>The settings file %1 could not be read (%2) nor moved aside. It is left as it is, the defaults are used and changes to the settings are not saved over it.</source>
        <translation>Det gick varken att läsa inställningsfilen %1 (%2) eller att flytta undan den. Den lämnas orörd, standardinställningarna används och ändringar i inställningarna sparas inte över den.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Android</source>
        <translation>Android</translation>
    </message>
    <message>
        <source>iOS/iPadOS</source>
        <translation>iOS/iPadOS</translation>
    </message>
    <message>
        <source>macOS</source>
        <translation>macOS</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>Alla plattformar</translation>
    </message>
    <message>
        <source>Configuration Manager</source>
        <translation>Configuration Manager</translation>
    </message>
    <message>
        <source>error code</source>
        <translation>felkod</translation>
    </message>
    <message>
        <source>identifier</source>
        <translation>identifierare</translation>
    </message>
    <message>
        <source>keyword</source>
        <translation>nyckelord</translation>
    </message>
    <message>
        <source>stem</source>
        <translation>ordstam</translation>
    </message>
    <message>
        <source>synonym</source>
        <translation>synonym</translation>
    </message>
    <message>
        <source>word part</source>
        <translation>orddel</translation>
    </message>
    <message>
        <source>similar word</source>
        <translation>liknande ord</translation>
    </message>
    <message>
        <source>platform</source>
        <translation>plattform</translation>
    </message>
    <message>
        <source>, ticket %1</source>
        <translation>, ärendenummer %1</translation>
    </message>
    <message>
        <source>A case was left unfinished: %1%2, last changed %3.</source>
        <translation>Ett ärende lämnades öppet: %1%2, senast ändrat %3.</translation>
    </message>
    <message>
        <source>&amp;Continue it</source>
        <translation>&amp;Fortsätt med det</translation>
    </message>
    <message>
        <source>Close it</source>
        <translation>Stäng det</translation>
    </message>
    <message>
        <source>Recent cases</source>
        <translation>Senaste ärenden</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>stängt</translation>
    </message>
    <message>
        <source>open</source>
        <translation>öppet</translation>
    </message>
    <message>
        <source>Start with the platform</source>
        <translation>Börja med plattformen</translation>
    </message>
    <message>
        <source>nearest known code %1</source>
        <translation>närmaste kända kod %1</translation>
    </message>
    <message>
        <source>escalate</source>
        <translation>eskalera</translation>
    </message>
    <message>
        <source>Did you mean: %1</source>
        <translation>Menade du: %1</translation>
    </message>
    <message>
        <source>The error code %1 is not in the flows.</source>
        <translation>Felkoden %1 finns inte i flödena.</translation>
    </message>
    <message>
        <source>Known codes of the same family (%1…) are listed below.</source>
        <translation>Kända koder i samma familj (%1…) visas nedan.</translation>
    </message>
    <message>
        <source>No known code shares its family (%1…).</source>
        <translation>Ingen känd kod tillhör samma familj (%1…).</translation>
    </message>
    <message>
        <source>No good match.</source>
        <translation>Ingen säker träff.</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Inget hittades.</translation>
    </message>
    <message>
        <source>Start with the platform, or escalate; the search is kept on the case.</source>
        <translation>Börja med plattformen eller eskalera; sökningen sparas i ärendet.</translation>
    </message>
    <message>
        <source>error code %1</source>
        <translation>felkod %1</translation>
    </message>
    <message>
        <source>identifier %1</source>
        <translation>identifierare %1</translation>
    </message>
    <message>
        <source>error message</source>
        <translation>felmeddelande</translation>
    </message>
    <message>
        <source>words</source>
        <translation>ord</translation>
    </message>
    <message>
        <source>What is the user&apos;s problem?</source>
        <translation>Vilket problem har användaren?</translation>
    </message>
    <message>
        <source>&amp;Search for an error code, an error message or words:</source>
        <translation>Sö&amp;k efter en felkod, ett felmeddelande eller ord:</translation>
    </message>
    <message>
        <source>e.g. 0x80CF0437, DeviceCapReached or “unable to sync”</source>
        <translation>t.ex. 0x80CF0437, DeviceCapReached eller ”det går inte att synkronisera”</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Sök</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Sökträffar</translation>
    </message>
</context>
<context>
    <name>StatsWindow</name>
    <message>
        <source>A folder of case files (exports as JSON)</source>
        <translation>En mapp med ärendefiler (exporterade som JSON)</translation>
    </message>
    <message>
        <source>%1 cases: %2 resolved, %3 escalated, %4 not resolved, %5 not finished. %6 not counted.</source>
        <translation>%1 ärenden: %2 lösta, %3 eskalerade, %4 inte lösta, %5 inte stängda. %6 räknades inte.</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Antal</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Steg</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90:e percentilen</translation>
    </message>
    <message>
        <source>no hit</source>
        <translation>ingen träff</translation>
    </message>
    <message>
        <source>hit not opened</source>
        <translation>träffen öppnades inte</translation>
    </message>
    <message>
        <source>unknown error code</source>
        <translation>okänd felkod</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Sökning</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Varför</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Unclear</source>
        <translation>Otydligt</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>Fel</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Kommentarer</translation>
    </message>
    <message>
        <source>%1: each step shaded by how many walks passed it; the more often a way was taken, the wider it is.</source>
        <translation>%1: varje steg är skuggat efter hur många genomgångar som passerade det; ju oftare en väg togs, desto bredare är den.</translation>
    </message>
    <message>
        <source>All flows</source>
        <translation>Alla flöden</translation>
    </message>
    <message>
        <source>Save the statistics</source>
        <translation>Spara statistiken</translation>
    </message>
    <message>
        <source>Web page (*.html);;JSON (*.json);;CSV (*.csv)</source>
        <translation>Webbsida (*.html);;JSON (*.json);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Kunde inte spara %1: %2</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>&amp;Flow:</source>
        <translation>&amp;Flöde:</translation>
    </message>
    <message>
        <source>&amp;Save report…</source>
        <translation>&amp;Spara rapport…</translation>
    </message>
    <message>
        <source>&amp;Add a team folder…</source>
        <translation>&amp;Lägg till en teammapp…</translation>
    </message>
    <message>
        <source>Count the cases exported as JSON into a folder too; a case found twice counts once</source>
        <translation>Räkna även ärenden som exporterats som JSON till en mapp; ett ärende som finns två gånger räknas en gång</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>Senaste %1 dagarna</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>Alla ärenden</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagram</translation>
    </message>
    <message>
        <source>End nodes</source>
        <translation>Slutnoder</translation>
    </message>
    <message>
        <source>Where walks stop</source>
        <translation>Där genomgångar stannar</translation>
    </message>
    <message>
        <source>Answers changed</source>
        <translation>Ändrade svar</translation>
    </message>
    <message>
        <source>Slowest steps</source>
        <translation>Långsammaste stegen</translation>
    </message>
    <message>
        <source>Content gaps</source>
        <translation>Luckor i innehållet</translation>
    </message>
    <message>
        <source>Step feedback</source>
        <translation>Återkoppling på steg</translation>
    </message>
    <message>
        <source>Flow map</source>
        <translation>Flödeskarta</translation>
    </message>
    <message>
        <source>Reading cases: %v of %m</source>
        <translation>Läser ärenden: %v av %m</translation>
    </message>
</context>
<context>
    <name>StepView</name>
    <message>
        <source>Note</source>
        <translation>Obs!</translation>
    </message>
    <message>
        <source>Important</source>
        <translation>Viktigt</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Varning</translation>
    </message>
    <message>
        <source>Step %1 · %2</source>
        <translation>Steg %1 · %2</translation>
    </message>
    <message>
        <source>More: </source>
        <translation>Mer: </translation>
    </message>
    <message>
        <source>Codes: %1</source>
        <translation>Koder: %1</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>Källa: %1</translation>
    </message>
    <message>
        <source>reviewed %1</source>
        <translation>granskad %1</translation>
    </message>
    <message>
        <source>⚠ reviewed %1, %2 days ago: check it against the source</source>
        <translation>⚠ granskad %1, för %2 dagar sedan: kontrollera mot källan</translation>
    </message>
    <message>
        <source>never reviewed</source>
        <translation>aldrig granskad</translation>
    </message>
    <message>
        <source>Escalate to: </source>
        <translation>Eskalera till: </translation>
    </message>
    <message>
        <source>Why: </source>
        <translation>Varför: </translation>
    </message>
    <message>
        <source>Error message as the user sees it</source>
        <translation>Felmeddelandet så som användaren ser det</translation>
    </message>
    <message>
        <source>Action %1: %2</source>
        <translation>Åtgärd %1: %2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiera</translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation>Kopiera %1</translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation>Kopiera till Urklipp</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopierat</translation>
    </message>
    <message>
        <source>Click or press Enter to zoom</source>
        <translation>Klicka eller tryck på Enter för att zooma</translation>
    </message>
    <message>
        <source>Your earlier answer: choosing it again keeps what came after</source>
        <translation>Ditt tidigare svar: väljer du det igen behålls det som kom efter</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← Tillbaka</translation>
    </message>
    <message>
        <source>Go back one step (Alt+Left)</source>
        <translation>Gå tillbaka ett steg (Alt+Vänster)</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Börja om</translation>
    </message>
    <message>
        <source>Start this walk again from the first question (Ctrl+R)</source>
        <translation>Börja om genomgången från första frågan (Ctrl+R)</translation>
    </message>
    <message>
        <source>Continue →</source>
        <translation>Fortsätt →</translation>
    </message>
    <message>
        <source>Go on to the next step (Enter)</source>
        <translation>Gå vidare till nästa steg (Enter)</translation>
    </message>
    <message>
        <source>Step content</source>
        <translation>Stegets innehåll</translation>
    </message>
    <message>
        <source>Unclear or wrong?</source>
        <translation>Otydligt eller fel?</translation>
    </message>
    <message>
        <source>Tell the flow&apos;s authors this step was unclear or wrong; kept on the case (Ctrl+Shift+U)</source>
        <translation>Tala om för flödets författare att steget var otydligt eller fel; sparas i ärendet (Ctrl+Skift+U)</translation>
    </message>
    <message>
        <source>This step was:</source>
        <translation>Det här steget var:</translation>
    </message>
    <message>
        <source>unclear</source>
        <translation>otydligt</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>fel</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>Kommentar (valfritt)</translation>
    </message>
    <message>
        <source>Feedback comment</source>
        <translation>Kommentar till återkopplingen</translation>
    </message>
    <message>
        <source>Save feedback</source>
        <translation>Spara återkoppling</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Feedback kept on the case</source>
        <translation>Återkopplingen sparades i ärendet</translation>
    </message>
</context>
<context>
    <name>ZoomDialog</name>
    <message>
        <source>Screenshot</source>
        <translation>Skärmbild</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Passa in</translation>
    </message>
    <message>
        <source>Fit the picture to the window (F)</source>
        <translation>Passa in bilden i fönstret (F)</translation>
    </message>
    <message>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <source>Actual size (1)</source>
        <translation>Verklig storlek (1)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zooma in</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zooma ut</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>Export the case</source>
        <translation>Exportera ärendet</translation>
    </message>
</context>
</TS>
